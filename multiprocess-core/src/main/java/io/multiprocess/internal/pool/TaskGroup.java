package io.multiprocess.internal.pool;

/**
 * The tasks of one call (one {@code map}, one {@code imap}, one {@code apply}). A worker may be handed several
 * tasks of the same group ahead, while it still runs the first, when the group's tasks are short: then the round
 * trip to the parent between two tasks no longer leaves the worker idle. Tasks of different groups are never
 * queued at one worker together, so cancelling a call kills only workers that hold nothing but that call's tasks.
 *
 * <p>Internal: created by {@link io.multiprocess.Pool} per call.
 */
public final class TaskGroup {

    /** Tasks that ran shorter than this are worth handing over ahead; longer ones gain nothing from it. */
    static final long SHORT_TASK_NANOS = 1_000_000;

    private long lastRunNanos = -1;

    /** Whether the last task of this group that finished was short; guarded by the scheduler's lock. */
    boolean runsShortTasks() {
        return lastRunNanos >= 0 && lastRunNanos < SHORT_TASK_NANOS;
    }

    /** Records how long a task of this group ran on its worker; guarded by the scheduler's lock. */
    void ran(long nanos) {
        lastRunNanos = nanos;
    }
}
