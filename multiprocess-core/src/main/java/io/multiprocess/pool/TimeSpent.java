package io.multiprocess.pool;

import java.time.Duration;
import java.util.Objects;

/**
 * Where time went, as mpire's insights break it down: for a worker JVM, in that JVM; for a call, over all of its
 * tasks, in the parent and the workers. Tells a slow map's cause: workers that start slowly, work starved by the
 * queue, the task's own code, or moving bytes.
 *
 * <pre>{@code
 * TimeSpent spent = pool.snapshot().workers().get(0).timeSpent();
 * if (spent.serializing().plus(spent.deserializing()).compareTo(spent.working()) > 0) {
 *     log.info("more time goes into moving items than into working on them: use a larger chunksize");
 * }
 * }</pre>
 *
 * @param starting a worker: from its launch until it was ready for tasks (JVM start and the initializer); a call:
 *     zero
 * @param waiting a worker: idle, waiting for its next task; a call: its tasks' time in the queue, from submission
 *     until a worker started them
 * @param working running the task's function on its items
 * @param serializing reducing to bytes: a worker's results; for a call also its tasks, in the parent
 * @param deserializing loading from bytes: a worker's tasks; for a call also its results, in the parent
 */
public record TimeSpent(Duration starting, Duration waiting, Duration working, Duration serializing,
        Duration deserializing) {

    /** No time at all. */
    public static final TimeSpent NONE = new TimeSpent(Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO,
            Duration.ZERO);

    public TimeSpent {
        Objects.requireNonNull(starting, "starting");
        Objects.requireNonNull(waiting, "waiting");
        Objects.requireNonNull(working, "working");
        Objects.requireNonNull(serializing, "serializing");
        Objects.requireNonNull(deserializing, "deserializing");
    }

    /** From nanosecond counts, in the order of the components. */
    public static TimeSpent ofNanos(long starting, long waiting, long working, long serializing,
            long deserializing) {
        return new TimeSpent(Duration.ofNanos(starting), Duration.ofNanos(waiting), Duration.ofNanos(working),
                Duration.ofNanos(serializing), Duration.ofNanos(deserializing));
    }

    /** Both together. */
    public TimeSpent plus(TimeSpent other) {
        return new TimeSpent(starting.plus(other.starting), waiting.plus(other.waiting), working.plus(other.working),
                serializing.plus(other.serializing), deserializing.plus(other.deserializing));
    }
}
