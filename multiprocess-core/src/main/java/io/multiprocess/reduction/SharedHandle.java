package io.multiprocess.reduction;

/**
 * An object that stands for something outside the Java heap, shared by processes: a queue or pipe hosted by one
 * process, a lock in shared memory. Every reducer sends it as its {@link HandleToken} and rebuilds it in the
 * receiving process with {@link HandleToken#resolve()}, so the receiver gets a working handle on the same
 * resource rather than a copy of fields.
 *
 * <p>This is the one mechanism by which queues, pipe ends, locks and shared values travel: as process arguments,
 * captured by lambdas, inside pool tasks, or inside messages sent through one another.
 */
public interface SharedHandle {

    /**
     * What the receiving process needs to reach the same resource. Called once each time the handle is reduced;
     * it may refuse (throwing {@link ReductionException}) when the handle cannot be sent that way.
     */
    HandleToken token();
}
