package io.multiprocess.pool;

import java.time.Duration;
import java.util.List;

/**
 * The state of a pool at one moment, e.g. for a health check or an actuator endpoint.
 *
 * @param state running, closed (no new work; finishing what it has), terminated, or broken (workers die at
 *     start-up, so work is refused)
 * @param processes the number of workers the pool keeps
 * @param workers the worker JVMs now
 * @param queuedTasks tasks not started yet: waiting in the pool's queue, or handed to a busy worker ahead
 * @param runningTasks tasks a worker runs now (at most one per worker)
 * @param consecutiveCrashes workers that were ready and died on their own (killed from outside, {@code System.exit}
 *     in a task, a native crash) since a task last finished; each is replaced, after the first few with a back-off
 * @param replacementBackoff how long the next such worker's replacement waits: zero normally, growing while
 *     workers keep dying (a crash loop), back to zero when a task finishes
 */
public record PoolSnapshot(PoolState state, int processes, List<Worker> workers, int queuedTasks, int runningTasks,
        int consecutiveCrashes, Duration replacementBackoff) {

    /** Whether workers keep dying, so their replacements are slowed down. */
    public boolean crashLooping() {
        return !replacementBackoff.isZero();
    }

    /**
     * One worker JVM.
     *
     * @param pid its process id
     * @param slot its place in the pool, from 0: the lowest place free when it was launched, so a replacement
     *     takes the place of the worker it replaces; a bounded name for per-worker meters, where the pid is not
     * @param state starting, idle, busy or stopping
     * @param tasksDone tasks it completed
     * @param uptime since it was launched
     * @param heapUsedBytes its used heap after its last task, or -1 before the first
     * @param residentBytes its resident set size now, or -1 where the platform does not tell (only Linux does)
     * @param cpuTime the CPU time it has used, or null where the platform does not tell
     * @param timeSpent where its time went: starting, waiting for tasks, working, (de)serializing
     */
    public record Worker(long pid, int slot, WorkerState state, long tasksDone, Duration uptime, long heapUsedBytes,
            long residentBytes, Duration cpuTime, TimeSpent timeSpent) {
    }
}
