package io.multiprocess.internal.pool;

import io.multiprocess.pool.PoolListener;
import io.multiprocess.pool.PoolTotals;
import io.multiprocess.pool.TaskOutcome;
import io.multiprocess.pool.TimeSpent;
import io.multiprocess.pool.WorkerExitCause;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts what a pool's listeners hear, from the pool's creation on, so {@link PoolTotals} (and the meters built on
 * it) include what happened before anyone looked. The first listener of each pool.
 */
final class PoolCounters implements PoolListener {

    private final LongAdder workersStarted = new LongAdder();
    private final Map<WorkerExitCause, LongAdder> exits = adders(WorkerExitCause.class);
    private final Map<TaskOutcome, LongAdder> tasks = adders(TaskOutcome.class);
    private final Map<TaskOutcome, LongAdder> items = adders(TaskOutcome.class);
    private final Map<TaskOutcome, LongAdder> taskNanos = adders(TaskOutcome.class);
    private final LongAdder startingNanos = new LongAdder();
    private final LongAdder waitingNanos = new LongAdder();
    private final LongAdder workingNanos = new LongAdder();
    private final LongAdder serializingNanos = new LongAdder();
    private final LongAdder deserializingNanos = new LongAdder();

    /** A worker spent this much more time, in nanoseconds (a listener hears no such event: results say it). */
    void workerSpent(long starting, long waiting, long working, long serializing, long deserializing) {
        startingNanos.add(starting);
        waitingNanos.add(waiting);
        workingNanos.add(working);
        serializingNanos.add(serializing);
        deserializingNanos.add(deserializing);
    }

    @Override
    public void workerStarted(long workerPid) {
        workersStarted.increment();
    }

    @Override
    public void workerExited(long workerPid, WorkerExitCause cause, int exitCode) {
        exits.get(cause).increment();
    }

    @Override
    public void taskFinished(long taskId, int size, TaskOutcome outcome, Duration duration) {
        tasks.get(outcome).increment();
        items.get(outcome).add(size);
        taskNanos.get(outcome).add(duration.toNanos());
    }

    PoolTotals totals() {
        Map<TaskOutcome, Duration> time = new EnumMap<>(TaskOutcome.class);
        taskNanos.forEach((outcome, nanos) -> time.put(outcome, Duration.ofNanos(nanos.sum())));
        return new PoolTotals(workersStarted.sum(), sums(exits), sums(tasks), sums(items), time,
                TimeSpent.ofNanos(startingNanos.sum(), waitingNanos.sum(), workingNanos.sum(),
                        serializingNanos.sum(), deserializingNanos.sum()));
    }

    private static <K extends Enum<K>> Map<K, LongAdder> adders(Class<K> keys) {
        Map<K, LongAdder> adders = new EnumMap<>(keys);
        for (K key : keys.getEnumConstants()) {
            adders.put(key, new LongAdder());
        }
        return adders;
    }

    private static <K extends Enum<K>> Map<K, Long> sums(Map<K, LongAdder> adders) {
        Map<K, Long> sums = new java.util.HashMap<>();
        adders.forEach((key, adder) -> sums.put(key, adder.sum()));
        return sums;
    }
}
