package io.multiprocess.pool;

import java.time.Duration;
import java.util.Objects;

/**
 * What happens to a pool that is still open when the JVM exits ({@code System.exit}, the end of {@code main},
 * SIGTERM, SIGINT). The library's exit hook applies it first, before it ends any other child process and before
 * it removes the sockets the workers use.
 *
 * <pre>{@code
 * // A batch job: on SIGTERM, give the queued and running tasks a minute, then stop.
 * ProcessPool pool = ctx.pool(PoolOptions.defaults().exitPolicy(ExitPolicy.drain(Duration.ofMinutes(1))));
 *
 * // A pool whose owner shuts it down gracefully itself (the Spring Boot starter does this):
 * ProcessPool pool = ctx.pool(PoolOptions.defaults().exitPolicy(ExitPolicy.leaveToOwner(Duration.ofSeconds(45))));
 * }</pre>
 *
 * @param mode what the exit hook does
 * @param gracePeriod how long the queued and running tasks get ({@link Mode#DRAIN}), or how long the owner gets
 *     to close the pool ({@link Mode#LEAVE_TO_OWNER}); zero for {@link Mode#TERMINATE}
 */
public record ExitPolicy(Mode mode, Duration gracePeriod) {

    /** What the exit hook does with an open pool. */
    public enum Mode {
        /** Terminate at once: running tasks fail, workers are killed. Python's pool does this at exit. */
        TERMINATE,
        /** Take no new work, let queued and running tasks finish for the grace period, then terminate. */
        DRAIN,
        /**
         * Do nothing to the pool, which keeps taking work: its owner closes it (for example after a web server
         * has finished its requests in flight). Terminated if it is still open after the grace period.
         */
        LEAVE_TO_OWNER
    }

    public ExitPolicy {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(gracePeriod, "gracePeriod");
        if (gracePeriod.isNegative()) {
            throw new IllegalArgumentException("an exit grace period cannot be negative, got " + gracePeriod);
        }
    }

    /** Terminated at once when the JVM exits (the default, as Python). */
    public static ExitPolicy terminate() {
        return new ExitPolicy(Mode.TERMINATE, Duration.ZERO);
    }

    /** Shut down when the JVM exits; queued and running tasks get {@code gracePeriod}, then it is terminated. */
    public static ExitPolicy drain(Duration gracePeriod) {
        return new ExitPolicy(Mode.DRAIN, gracePeriod);
    }

    /**
     * Left to its owner, who closes it when the JVM exits; terminated if still open after {@code gracePeriod}.
     */
    public static ExitPolicy leaveToOwner(Duration gracePeriod) {
        return new ExitPolicy(Mode.LEAVE_TO_OWNER, gracePeriod);
    }
}
