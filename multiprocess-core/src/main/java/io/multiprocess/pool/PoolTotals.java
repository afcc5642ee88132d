package io.multiprocess.pool;

import java.time.Duration;
import java.util.Map;

/**
 * What a pool has done since it was created, counted as its {@link PoolListener}s hear it: the figures metrics are
 * built on. Each call returns a new copy; the counts only grow.
 *
 * <pre>{@code
 * PoolTotals totals = pool.totals();
 * long ok = totals.tasks().get(TaskOutcome.SUCCESS);
 * Duration busy = totals.taskTime().get(TaskOutcome.SUCCESS);
 * long crashed = totals.workerExits().get(WorkerExitCause.CRASHED);
 * }</pre>
 *
 * @param workersStarted worker JVMs (or threads, for a thread pool) started, the first ones and every replacement
 * @param workerExits workers that exited, by cause; every cause is a key
 * @param tasks tasks (an {@code apply}, or a chunk of a {@code map}) that ended, by outcome; every outcome is a key
 * @param items the items those tasks held, by outcome
 * @param taskTime the time those tasks ran on a worker, by outcome
 * @param workerTime where the workers' time went, every worker's since the pool was created (see
 *     {@link TimeSpent}); zero but {@code working} for a thread pool
 */
public record PoolTotals(long workersStarted, Map<WorkerExitCause, Long> workerExits, Map<TaskOutcome, Long> tasks,
        Map<TaskOutcome, Long> items, Map<TaskOutcome, Duration> taskTime, TimeSpent workerTime) {

    public PoolTotals {
        workerExits = Map.copyOf(workerExits);
        tasks = Map.copyOf(tasks);
        items = Map.copyOf(items);
        taskTime = Map.copyOf(taskTime);
    }
}
