package io.multiprocess.internal.pool;

import io.multiprocess.pool.ThreadDump;
import io.multiprocess.pool.WorkerExitCause;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;

/** A task of a {@link Scheduler}: what one TASK message carries, and how it ends. */
final class PoolTask implements TaskRunner.Task {
    final long id;
    final TaskGroup group;
    final byte[] payload;
    final int size;
    final Duration timeout;
    final TaskRunner.Completion completion;
    PoolWorker worker;
    long startedNanos;
    boolean done;
    WorkerExitCause killReason;
    volatile ScheduledFuture<?> timeoutCheck;
    volatile ScheduledFuture<?> dumpRequest;
    ThreadDump threadDump;

    PoolTask(long id, TaskGroup group, byte[] payload, int size, Duration timeout,
            TaskRunner.Completion completion) {
        this.id = id;
        this.group = group;
        this.payload = payload;
        this.size = size;
        this.timeout = timeout;
        this.completion = completion;
    }

    void cancelTimers() {
        ScheduledFuture<?> check = timeoutCheck;
        if (check != null) {
            check.cancel(false);
        }
        ScheduledFuture<?> dump = dumpRequest;
        if (dump != null) {
            dump.cancel(false);
        }
    }
}
