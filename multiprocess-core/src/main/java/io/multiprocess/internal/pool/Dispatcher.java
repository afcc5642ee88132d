package io.multiprocess.internal.pool;

import io.multiprocess.pool.WorkerExitCause;
import io.multiprocess.pool.WorkerState;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * A pool's queue, and which worker runs what next: decisions only, no JVM, no socket, no clock. Every method runs
 * under the {@link Scheduler}'s lock; the scheduler sends the messages queued here and starts the tasks' clocks
 * after it lets go.
 *
 * <p>First every idle worker gets the next task. Then busy workers are topped up, one task each per round so the
 * queue is shared out evenly, with tasks they may hold ahead: only of the same call as what they hold, only when
 * that call's tasks are short (see {@link TaskGroup}), never with a timeout (a timeout is measured from when the
 * task starts, which a task held ahead has not), at most {@link #PREFETCH} beyond the one running, and never past
 * the worker's task budget. Once the pool takes no more work, an idle worker with nothing left to do is told to
 * stop.
 */
final class Dispatcher {

    /**
     * Tasks a worker may hold beyond the one it runs. Enough to cover the round trip to the parent with tasks of a
     * few microseconds; small enough that a worker holding them while another goes idle costs little at the end of
     * a call, since only tasks shorter than {@link TaskGroup#SHORT_TASK_NANOS} are handed over ahead.
     */
    static final int PREFETCH = 8;

    private final ArrayDeque<PoolTask> queue = new ArrayDeque<>();
    private final int maxTasksPerChild;

    /** What one dispatch decided: tasks that became the one their worker runs, and workers with messages to send. */
    record Round(List<PoolTask> started, List<PoolWorker> toFlush) {
    }

    /** @param maxTasksPerChild tasks a worker runs before it is recycled, 0 for no limit */
    Dispatcher(int maxTasksPerChild) {
        this.maxTasksPerChild = maxTasksPerChild;
    }

    void add(PoolTask task) {
        queue.addLast(task);
    }

    /** Puts back a task a dead worker held ahead, in front, so it runs before what was queued after it. */
    void addFirst(PoolTask task) {
        queue.addFirst(task);
    }

    boolean remove(PoolTask task) {
        return queue.remove(task);
    }

    boolean isEmpty() {
        return queue.isEmpty();
    }

    int size() {
        return queue.size();
    }

    /** Takes every queued task out, in order, each marked done (whoever takes them ends them). */
    List<PoolTask> drain() {
        List<PoolTask> drained = new ArrayList<>(queue);
        queue.clear();
        drained.forEach(task -> task.done = true);
        return drained;
    }

    /**
     * Hands queued tasks to {@code workers}, and, when the pool no longer takes work, stops idle workers with
     * nothing left to run.
     */
    Round dispatch(Collection<PoolWorker> workers, boolean takingWork) {
        List<PoolWorker> toFlush = new ArrayList<>();
        List<PoolTask> started = new ArrayList<>();
        for (PoolWorker worker : workers) {
            if (worker.state != WorkerState.IDLE) {
                continue;
            }
            PoolTask task = queue.pollFirst();
            if (task != null) {
                hand(worker, task, started, toFlush);
            } else if (!takingWork) {
                worker.state = WorkerState.STOPPING;
                worker.plannedExit = WorkerExitCause.POOL_SHUTDOWN;
                worker.outbox.add(PoolFrames.stop());
                addOnce(toFlush, worker);
            }
        }
        boolean handed = true;
        while (handed && !queue.isEmpty()) {
            handed = false;
            for (PoolWorker worker : workers) {
                PoolTask next = queue.peekFirst();
                if (next == null) {
                    break;
                }
                if (mayHoldAhead(worker, next)) {
                    hand(worker, queue.pollFirst(), started, toFlush);
                    handed = true;
                }
            }
        }
        return new Round(started, toFlush);
    }

    /** Whether a busy worker may be handed {@code next} to run after what it holds. */
    private boolean mayHoldAhead(PoolWorker worker, PoolTask next) {
        return worker.state == WorkerState.BUSY
                && worker.tasks.size() <= PREFETCH
                && next.timeout == null
                && next.group == worker.tasks.peekLast().group
                && next.group.runsShortTasks()
                && (maxTasksPerChild <= 0 || worker.tasksDone + worker.tasks.size() < maxTasksPerChild);
    }

    /** {@code task} becomes the worker's, its TASK message queued behind what the worker holds. */
    private static void hand(PoolWorker worker, PoolTask task, List<PoolTask> started, List<PoolWorker> toFlush) {
        worker.tasks.addLast(task);
        task.worker = worker;
        if (worker.tasks.size() == 1) {
            worker.state = WorkerState.BUSY;
            task.startedNanos = System.nanoTime();
            started.add(task);
        }
        worker.outbox.add(PoolFrames.task(task.id, task.headers, task.payload));
        addOnce(toFlush, worker);
    }

    private static void addOnce(List<PoolWorker> workers, PoolWorker worker) {
        if (!workers.contains(worker)) {
            workers.add(worker);
        }
    }
}
