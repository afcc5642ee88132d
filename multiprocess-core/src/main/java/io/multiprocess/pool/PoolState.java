package io.multiprocess.pool;

/**
 * Where a pool is in its life, as {@link PoolSnapshot#state()} reports it.
 *
 * <pre>{@code
 * if (pool.snapshot().state() == PoolState.BROKEN) {
 *     alert("workers die at start-up: " + pool);
 * }
 * }</pre>
 */
public enum PoolState {
    /** Takes and runs work. */
    RUNNING,
    /** Takes no new work; finishes what it has ({@code close()}). */
    CLOSED,
    /** Stopped: its workers are gone and its unfinished work failed ({@code terminate()}). */
    TERMINATED,
    /** Refuses work because its workers die at start-up (a bad JVM flag, a missing class, no memory). */
    BROKEN
}
