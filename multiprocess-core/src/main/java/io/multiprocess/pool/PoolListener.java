package io.multiprocess.pool;

import java.time.Duration;

/**
 * Told what happens in a pool, for metrics and logs (the Spring Boot starter's meters are built on it). A task here
 * is what travels to a worker at once: an {@code apply}, or one chunk of a {@code map}; {@code size} says how many
 * items it holds. Methods run on the pool's threads and must return quickly; an exception they throw is logged
 * and ignored.
 *
 * <pre>{@code
 * pool.addListener(new PoolListener() {
 *     public void taskFinished(long taskId, int size, TaskOutcome outcome, Duration duration) {
 *         metrics.record(outcome, duration);
 *     }
 * });
 * }</pre>
 */
public interface PoolListener {

    default void taskSubmitted(long taskId, int size) {
    }

    default void taskStarted(long taskId, int size, long workerPid) {
    }

    /** A task ended; {@code duration} is from when it started on a worker (zero if it never started). */
    default void taskFinished(long taskId, int size, TaskOutcome outcome, Duration duration) {
    }

    /**
     * A task failed (an exception, a worker crash, a timeout, a cancel), with the error its caller gets: a
     * {@link WorkerCrashedException} has the worker's last stderr lines, a {@link TaskTimeoutException} the thread
     * dump taken before the kill. Heard before {@link #taskFinished}.
     *
     * @param workerPid the worker that ran it, or -1 if it never started
     */
    default void taskFailed(long taskId, long workerPid, TaskOutcome outcome, RuntimeException error) {
    }

    default void workerStarted(long workerPid) {
    }

    /**
     * A worker about to be killed for a task's timeout or a cancel sent its threads' stacks in time; the kill
     * follows. Also in the {@link TaskTimeoutException} of a timeout.
     */
    default void threadDumpTaken(long taskId, long workerPid, WorkerExitCause cause, ThreadDump threadDump) {
    }

    /**
     * A task of a call ended, so the call got further; the last event of a call has {@code finished()} true. Runs
     * before the caller sees the task's result. Cheap: no message beyond the results.
     */
    default void callProgressed(CallProgress progress) {
    }

    /** A worker exited with Python's exit code. */
    default void workerExited(long workerPid, WorkerExitCause cause, int exitCode) {
    }
}
