package io.multiprocess.pool;

/** Why a worker JVM exited, as reported to {@link PoolListener#workerExited}. */
public enum WorkerExitCause {
    /** Replaced after {@code maxTasksPerChild} tasks or over its memory limit. */
    RECYCLED,
    /** Killed because a task ran past its timeout. */
    TIMEOUT,
    /** Killed because the task it ran was cancelled. */
    CANCELLED,
    /** Stopped because the pool was closed or terminated. */
    POOL_SHUTDOWN,
    /** Died on its own: a crash, a signal from outside, {@code System.exit} in a task, an OutOfMemoryError. */
    CRASHED
}
