package io.multiprocess.pool;

import java.time.Duration;
import java.util.List;

/**
 * The state of a pool at one moment, e.g. for a health check or an actuator endpoint.
 *
 * @param state {@code RUNNING}, {@code CLOSED} (no new work; finishing what it has), {@code TERMINATED}, or
 *     {@code BROKEN} (workers die at start-up, so work is refused)
 * @param processes the number of workers the pool keeps
 * @param workers the worker JVMs now
 * @param queuedTasks tasks not started yet: waiting in the pool's queue, or handed to a busy worker ahead
 * @param runningTasks tasks a worker runs now (at most one per worker)
 */
public record PoolSnapshot(String state, int processes, List<Worker> workers, int queuedTasks, int runningTasks) {

    /**
     * One worker JVM.
     *
     * @param pid its process id
     * @param state {@code STARTING}, {@code IDLE}, {@code BUSY} or {@code STOPPING}
     * @param tasksDone tasks it completed
     * @param uptime since it was launched
     * @param heapUsedBytes its used heap after its last task, or -1 before the first
     */
    public record Worker(long pid, String state, long tasksDone, Duration uptime, long heapUsedBytes) {
    }
}
