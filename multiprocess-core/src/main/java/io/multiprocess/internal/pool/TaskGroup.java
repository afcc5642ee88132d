package io.multiprocess.internal.pool;

import io.multiprocess.internal.MpLogger;
import io.multiprocess.pool.CallProgress;
import io.multiprocess.pool.TaskTracer;
import io.multiprocess.pool.TimeSpent;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * The tasks of one call (one {@code map}, one {@code imap}, one {@code apply}), and how far the call has got.
 *
 * <p>A worker may be handed several tasks of the same group ahead, while it still runs the first, when the group's
 * tasks are short: then the round trip to the parent between two tasks no longer leaves the worker idle. Tasks of
 * different groups are never queued at one worker together, so cancelling a call kills only workers that hold
 * nothing but that call's tasks.
 *
 * <p>Progress is counted as tasks end (see {@link CallProgress}): no message of its own.
 *
 * <p>Internal: created by {@link io.multiprocess.Pool} per call.
 */
public final class TaskGroup {

    /** Tasks that ran shorter than this are worth handing over ahead; longer ones gain nothing from it. */
    static final long SHORT_TASK_NANOS = 1_000_000;

    private static final AtomicLong IDS = new AtomicLong();

    private final long id = IDS.incrementAndGet();
    private final String kind;
    private final long startedNanos = System.nanoTime();
    private final AtomicLong done = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final List<Consumer<? super CallProgress>> watchers = new CopyOnWriteArrayList<>();
    private final TaskTracer.Call trace;
    private final LongAdder waitingNanos = new LongAdder();
    private final LongAdder workingNanos = new LongAdder();
    private final LongAdder serializingNanos = new LongAdder();
    private final LongAdder deserializingNanos = new LongAdder();
    private volatile long total;
    private volatile long finishedNanos;
    private long lastRunNanos = -1;

    /** @param total the call's items, or -1 until {@link #totalKnown} says */
    public TaskGroup(String kind, long total) {
        this(kind, total, null);
    }

    /** @param trace the call's tracing, or null when it is not traced */
    public TaskGroup(String kind, long total, TaskTracer.Call trace) {
        this.kind = kind;
        this.total = total;
        this.trace = trace;
        if (total == 0) {
            finishedNanos = System.nanoTime();
        }
    }

    /** Whether the last task of this group that finished was short; guarded by the scheduler's lock. */
    boolean runsShortTasks() {
        return lastRunNanos >= 0 && lastRunNanos < SHORT_TASK_NANOS;
    }

    /** Records how long a task of this group ran on its worker; guarded by the scheduler's lock. */
    void ran(long nanos) {
        lastRunNanos = nanos;
    }

    /** The tracing of a task of this call, or null; a tracer that fails leaves the task untraced. */
    TaskTracer.Task traceTask(long taskId, int size) {
        if (trace == null) {
            return null;
        }
        try {
            return trace.taskSubmitted(taskId, size);
        } catch (RuntimeException e) {
            MpLogger.INSTANCE.warn("the task tracer failed; the task goes on untraced: {}", e.toString());
            return null;
        }
    }

    /** Time the parent spent reducing a task of this call. */
    public void serialized(long nanos) {
        serializingNanos.add(nanos);
    }

    /** Time the parent spent loading a result of this call. */
    void deserialized(long nanos) {
        deserializingNanos.add(nanos);
    }

    /** A task of this call waited {@code queued} before a worker started it, which spent {@code times} on it. */
    void spent(long queued, PoolFrames.WorkerTimes times) {
        waitingNanos.add(queued);
        workingNanos.add(times.working());
        serializingNanos.add(times.serializing());
        deserializingNanos.add(times.deserializing());
    }

    /** A task of {@code items} items ended; returns the progress it made. */
    public CallProgress tasksEnded(int items, boolean succeeded) {
        (succeeded ? done : failed).addAndGet(items);
        return checkFinished();
    }

    /** The input has been read to its end: {@code items} in all. */
    public CallProgress totalKnown(long items) {
        total = items;
        return checkFinished();
    }

    private synchronized CallProgress checkFinished() {
        if (finishedNanos == 0 && total >= 0 && done.get() + failed.get() >= total) {
            finishedNanos = System.nanoTime();
        }
        return progress();
    }

    public boolean finished() {
        return finishedNanos != 0;
    }

    public CallProgress progress() {
        long end = finishedNanos != 0 ? finishedNanos : System.nanoTime();
        return new CallProgress(id, kind, done.get(), failed.get(), total, finishedNanos != 0,
                Duration.ofNanos(end - startedNanos), TimeSpent.ofNanos(0, waitingNanos.sum(), workingNanos.sum(),
                        serializingNanos.sum(), deserializingNanos.sum()));
    }

    /** Tells {@code watcher} the progress now, then at every change. */
    public void watch(Consumer<? super CallProgress> watcher) {
        watchers.add(watcher);
        tell(watcher, progress());
    }

    /** Tells every watcher; one that throws is logged and does not stop the others. */
    public void tell(CallProgress progress) {
        for (Consumer<? super CallProgress> watcher : watchers) {
            tell(watcher, progress);
        }
    }

    private static void tell(Consumer<? super CallProgress> watcher, CallProgress progress) {
        try {
            watcher.accept(progress);
        } catch (RuntimeException e) {
            MpLogger.INSTANCE.warn("a progress watcher failed: {}", e.toString());
        }
    }
}
