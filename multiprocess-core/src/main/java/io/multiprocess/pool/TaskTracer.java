package io.multiprocess.pool;

import java.util.Map;

/**
 * Carries a trace across the process boundary: each task of a process pool is observed in the parent, and its
 * context (for example a W3C {@code traceparent} and {@code baggage}) travels in the task's message, so the task
 * runs inside it in the worker. Core knows no tracing library; the Spring Boot starter plugs in Micrometer
 * Observation (a {@code multiprocess.task} observation per task), and any other tracer fits the same three steps.
 *
 * <p>In the worker, while a task runs: the headers are
 * {@link io.multiprocess.Multiprocess#currentTaskHeaders()}, and when they hold a W3C
 * {@code traceparent}, SLF4J's MDC has its {@code traceId} and {@code spanId}, so every line the task logs carries
 * them, in the worker and, relayed, in the parent (see {@link io.multiprocess.ChildOutput#LOG}).
 *
 * <pre>{@code
 * ctx.setTaskTracer((pool, kind) -> {
 *     Span parent = tracer.currentSpan();                    // on the thread that called map()
 *     return (taskId, size) -> {
 *         Span span = tracer.nextSpan(parent).name("multiprocess.task").start();
 *         return new TaskTracer.Task() {
 *             public Map<String, String> headers() { return Map.of("traceparent", traceparent(span)); }
 *             public void ended(TaskOutcome outcome, RuntimeException error) { span.end(); }
 *         };
 *     };
 * });
 * }</pre>
 *
 * Methods run on the pool's threads and must return quickly; an exception they throw is logged and the task goes
 * on untraced. A task here is what travels to a worker at once, as for {@link PoolListener}: an {@code apply}, or
 * one chunk of a {@code map}.
 */
@FunctionalInterface
public interface TaskTracer {

    /**
     * A call ({@code apply}, {@code map}, {@code imap}...) starts, on the thread that made it: capture what its
     * tasks are traced under, for example the current span or observation.
     *
     * @param pool the pool's name ({@code "pool"} when it has none)
     * @param kind {@code "apply"}, {@code "map"}, {@code "starmap"}, {@code "imap"} or {@code "imap_unordered"}
     * @return the call's tracing, or null to leave it untraced
     */
    Call callStarted(String pool, String kind);

    /** The tracing of one call. */
    @FunctionalInterface
    interface Call {

        /**
         * A task of the call was submitted (on any thread: an {@code imap}'s input is read on the pool's).
         *
         * @return the task's tracing, or null to leave it untraced
         */
        Task taskSubmitted(long taskId, int size);
    }

    /** The tracing of one task. */
    interface Task {

        /** What travels to the worker with the task, read once after {@link Call#taskSubmitted}. */
        Map<String, String> headers();

        /** A worker started the task; the time before was spent queued. */
        default void started(long workerPid) {
        }

        /** The task ended; {@code error} is null on success. */
        void ended(TaskOutcome outcome, RuntimeException error);
    }
}
