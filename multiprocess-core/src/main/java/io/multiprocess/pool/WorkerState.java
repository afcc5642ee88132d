package io.multiprocess.pool;

/** What a pool's worker is doing, as {@link PoolSnapshot.Worker#state()} reports it. */
public enum WorkerState {
    /** Launched, not ready for tasks yet. */
    STARTING,
    /** Ready, without a task. */
    IDLE,
    /** Running a task. */
    BUSY,
    /** Being stopped: recycled, replaced or shut down with its pool. */
    STOPPING
}
