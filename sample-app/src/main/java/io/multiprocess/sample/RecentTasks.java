package io.multiprocess.sample;

import io.multiprocess.pool.PoolListener;
import io.multiprocess.pool.TaskOutcome;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The last tasks every pool finished, for the status page: built on the pools' listeners, which
 * {@link SampleApplication#recentTasksOfEveryPool} adds to each pool before its first worker starts.
 */
public class RecentTasks {

    private static final int KEPT = 30;

    /** One finished task. */
    public record Finished(String pool, long id, String outcome, Long workerPid, long millis, Instant at) {
    }

    private final Deque<Finished> finished = new ArrayDeque<>();

    /** A listener that records the tasks of the pool named {@code pool}. */
    PoolListener listenerFor(String pool) {
        Map<Long, Long> workerOfTask = new ConcurrentHashMap<>();
        return new PoolListener() {
            @Override
            public void taskStarted(long taskId, int size, long workerPid) {
                workerOfTask.put(taskId, workerPid);
            }

            @Override
            public void taskFinished(long taskId, int size, TaskOutcome outcome, Duration duration) {
                add(new Finished(pool, taskId, outcome.name().toLowerCase(java.util.Locale.ROOT),
                        workerOfTask.remove(taskId), duration.toMillis(), Instant.now()));
            }
        };
    }

    private void add(Finished task) {
        synchronized (finished) {
            finished.addFirst(task);
            while (finished.size() > KEPT) {
                finished.removeLast();
            }
        }
    }

    /** Newest first. */
    public List<Finished> list() {
        synchronized (finished) {
            return new ArrayList<>(finished);
        }
    }
}
