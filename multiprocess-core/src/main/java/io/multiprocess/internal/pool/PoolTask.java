package io.multiprocess.internal.pool;

import io.multiprocess.pool.ThreadDump;
import io.multiprocess.pool.WorkerExitCause;
import io.multiprocess.pool.TaskTracer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;

/** A task of a {@link Scheduler}: what one TASK message carries, and how it ends. */
final class PoolTask implements TaskRunner.Task {
    final long id;
    final TaskGroup group;
    final byte[] payload;
    final int size;
    final Duration timeout;
    final TaskRunner.Completion completion;
    final long submittedNanos = System.nanoTime();
    /** Its tracing, or null; its headers, flattened for the TASK message. */
    final TaskTracer.Task trace;
    final List<String> headers;
    private Map<String, String> outputMdc;
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
        this.trace = group.traceTask(id, size);
        this.headers = trace == null ? List.of() : headersOf(trace);
    }

    private static List<String> headersOf(TaskTracer.Task trace) {
        try {
            return PoolFrames.flatten(trace.headers());
        } catch (RuntimeException e) {
            io.multiprocess.internal.MpLogger.INSTANCE.warn("the task tracer failed to give headers; the task runs "
                    + "without them: {}", e.toString());
            return List.of();
        }
    }

    /**
     * What the worker's relayed output carries while it runs this task: {@code mp.task}, and the trace's ids. Made
     * on the first line that needs it, by the worker's pump threads.
     */
    Map<String, String> outputMdc() {
        Map<String, String> mdc = outputMdc;
        if (mdc == null) {
            String[] ids = null;
            for (int i = 0; i + 1 < headers.size(); i += 2) {
                if (headers.get(i).equals("traceparent")) {
                    ids = WorkerTrace.ids(headers.get(i + 1));
                }
            }
            mdc = ids == null ? Map.of("mp.task", Long.toString(id))
                    : Map.of("mp.task", Long.toString(id), WorkerTrace.TRACE_ID, ids[0], WorkerTrace.SPAN_ID, ids[1]);
            outputMdc = mdc;
        }
        return mdc;
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
