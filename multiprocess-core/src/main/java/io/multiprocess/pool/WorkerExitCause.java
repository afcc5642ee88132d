package io.multiprocess.pool;

/** Why a worker JVM exited, as reported to {@link PoolListener#workerExited}. */
public enum WorkerExitCause {
    /** Replaced after {@code maxTasksPerChild} tasks or over its memory limit. */
    RECYCLED,
    /** Killed because a task ran past its timeout. */
    TIMEOUT,
    /** Killed because the task it ran was cancelled. */
    CANCELLED,
    /** Stopped because the pool was made smaller ({@code ProcessPool.resize}); not replaced. */
    RETIRED,
    /** Stopped because the pool was closed or terminated. */
    POOL_SHUTDOWN,
    /**
     * Killed because this JVM failed while handling a message from it (an error decoding its result or reading its
     * channel): the task it held failed with what went wrong, and a fresh worker replaces it.
     */
    CHANNEL_FAULT,
    /** Died on its own: a crash, a signal from outside, {@code System.exit} in a task, an OutOfMemoryError. */
    CRASHED
}
