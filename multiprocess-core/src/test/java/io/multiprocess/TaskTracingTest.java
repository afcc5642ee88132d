package io.multiprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.multiprocess.pool.PoolOptions;
import io.multiprocess.pool.TaskFailedException;
import io.multiprocess.pool.TaskOutcome;
import io.multiprocess.pool.TaskTracer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/** A trace carried into real worker JVMs by a {@link TaskTracer}: headers in the task message, ids in the MDC. */
class TaskTracingTest {

    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";

    private final BaseContext ctx = Multiprocess.newContext("forkserver");
    private final List<String> events = new CopyOnWriteArrayList<>();
    private final AtomicLong spans = new AtomicLong();

    TaskTracingTest() {
        // The workers log through the relay, whose MDC is real; slf4j-simple's, this module's test binding, is not.
        ctx.setChildOutput(ChildOutput.LOG);
    }

    @AfterEach
    void close() {
        ctx.close();
    }

    /** Records what it hears; every task gets a span of its own under one trace, and the call's baggage. */
    private TaskTracer recordingTracer() {
        return (pool, kind) -> {
            String caller = Thread.currentThread().getName();
            events.add("call " + pool + " " + kind + " on " + caller);
            return (taskId, size) -> {
                String spanId = String.format("%016x", spans.incrementAndGet());
                return new TaskTracer.Task() {
                    @Override
                    public Map<String, String> headers() {
                        return Map.of("traceparent", "00-" + TRACE_ID + "-" + spanId + "-01", "baggage",
                                "tenant=acme");
                    }

                    @Override
                    public void started(long workerPid) {
                        events.add("started " + spanId + " on " + workerPid);
                    }

                    @Override
                    public void ended(TaskOutcome outcome, RuntimeException error) {
                        events.add("ended " + spanId + " " + outcome);
                    }
                };
            };
        };
    }

    @Test
    void eachTaskRunsInItsTraceInTheWorkerAndIsObservedInTheParent() {
        ctx.setTaskTracer(recordingTracer());
        try (ProcessPool pool = ctx.pool(PoolOptions.defaults().processes(1).name("render"))) {
            long workerPid = pool.apply(() -> ProcessHandle.current().pid());
            String seen = pool.apply(() -> MDC.get("traceId") + " " + MDC.get("spanId") + " "
                    + Multiprocess.currentTaskHeaders().get("baggage"));

            assertThat(seen).isEqualTo(TRACE_ID + " 0000000000000002 tenant=acme");
            assertThat(workerPid).isNotEqualTo(ProcessHandle.current().pid());
            assertThat(events).containsExactly(
                    "call render apply on " + Thread.currentThread().getName(),
                    "started 0000000000000001 on " + workerPid, "ended 0000000000000001 SUCCESS",
                    "call render apply on " + Thread.currentThread().getName(),
                    "started 0000000000000002 on " + workerPid, "ended 0000000000000002 SUCCESS");

            // One traced task per chunk of a map: 3 chunks of 2.
            events.clear();
            List<String> spanIds = pool.map(x -> MDC.get("spanId"), IntStream.range(0, 6).boxed().toList(), 2);
            assertThat(spanIds).containsExactly("0000000000000003", "0000000000000003", "0000000000000004",
                    "0000000000000004", "0000000000000005", "0000000000000005");
            assertThat(events).filteredOn(event -> event.startsWith("ended")).hasSize(3);
        }
    }

    @Test
    void aFailedTaskEndsItsTraceWithTheErrorAndTheNextUntracedTaskSeesNoTrace() {
        ctx.setTaskTracer(recordingTracer());
        try (ProcessPool pool = ctx.pool(1)) {
            assertThatThrownBy(() -> pool.apply(() -> {
                throw new IllegalStateException("boom");
            })).isInstanceOf(TaskFailedException.class);
            assertThat(events).last().isEqualTo("ended 0000000000000001 FAILURE");
        }
        // The same kind of worker, with a tracer that leaves calls untraced: no ids, no headers.
        ctx.setTaskTracer((pool, kind) -> null);
        try (ProcessPool pool = ctx.pool(1)) {
            assertThat(pool.apply(() -> MDC.get("traceId") + " " + Multiprocess.currentTaskHeaders()))
                    .isEqualTo("null {}");
        }
    }

    @Test
    void aTracerThatFailsLeavesTheTaskUntracedAndRunning() {
        ctx.setTaskTracer((pool, kind) -> {
            throw new IllegalStateException("tracer broken");
        });
        try (ProcessPool pool = ctx.pool(1)) {
            assertThat(pool.apply(() -> "ran")).isEqualTo("ran");
        }
        ctx.setTaskTracer((pool, kind) -> (taskId, size) -> new TaskTracer.Task() {
            @Override
            public Map<String, String> headers() {
                throw new IllegalStateException("no headers today");
            }

            @Override
            public void ended(TaskOutcome outcome, RuntimeException error) {
                throw new IllegalStateException("cannot end either");
            }
        });
        try (ProcessPool pool = ctx.pool(1)) {
            assertThat(pool.apply(() -> Multiprocess.currentTaskHeaders().isEmpty())).isTrue();
        }
    }
}
