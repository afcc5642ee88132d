package io.multiprocess.synchronize;

/**
 * A {@link Lock} or an {@link RLock}: what a {@link Condition} can be built on
 * ({@code ctx.condition(lock)}).
 */
public sealed interface Mutex extends Acquirable permits OwnedLock {

    /** Whether some thread of some process holds it now (Python 3.14's {@code locked()}). */
    boolean isLocked();

    /** Whether the calling thread holds it. */
    boolean isHeldByCurrentThread();
}
