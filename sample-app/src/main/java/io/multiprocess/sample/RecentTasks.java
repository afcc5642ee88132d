package io.multiprocess.sample;

import io.multiprocess.ProcessPool;
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
import org.springframework.stereotype.Component;

/** The last tasks the pool finished, for the status page: built on the pool's listener, as the meters are. */
@Component
public class RecentTasks implements PoolListener {

    private static final int KEPT = 30;

    /** One finished task. */
    public record Finished(long id, String outcome, Long workerPid, long millis, Instant at) {
    }

    private final Deque<Finished> finished = new ArrayDeque<>();
    private final Map<Long, Long> workerOfTask = new ConcurrentHashMap<>();

    RecentTasks(ProcessPool pool) {
        pool.addListener(this);
    }

    @Override
    public void taskStarted(long taskId, int size, long workerPid) {
        workerOfTask.put(taskId, workerPid);
    }

    @Override
    public void taskFinished(long taskId, int size, TaskOutcome outcome, Duration duration) {
        Finished task = new Finished(taskId, outcome.name().toLowerCase(java.util.Locale.ROOT),
                workerOfTask.remove(taskId), duration.toMillis(), Instant.now());
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
