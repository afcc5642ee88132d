package io.multiprocess.internal.pool;

import static org.assertj.core.api.Assertions.assertThat;

import io.multiprocess.pool.TaskOutcome;
import io.multiprocess.pool.TaskTracer;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a task carries to its worker, and what the worker's relayed text lines carry while it runs. */
class PoolTaskTest {

    private static final TaskRunner.Completion IGNORED = new TaskRunner.Completion() {
        @Override
        public void succeeded(List<Object> results) {
        }

        @Override
        public void failed(RuntimeException error) {
        }
    };

    private static TaskTracer.Call tracing(Map<String, String> headers) {
        return (taskId, size) -> new TaskTracer.Task() {
            @Override
            public Map<String, String> headers() {
                return headers;
            }

            @Override
            public void ended(TaskOutcome outcome, RuntimeException error) {
            }
        };
    }

    @Test
    void aTracedTasksRelayedLinesCarryItsTraceAndSpanIds() throws IOException {
        TaskGroup call = new TaskGroup("apply", 1, tracing(Map.of("traceparent",
                "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", "baggage", "tenant=acme")));
        PoolTask task = new PoolTask(7, call, new byte[] {1, 2}, 1, null, IGNORED);

        assertThat(task.outputMdc()).containsExactlyInAnyOrderEntriesOf(Map.of("mp.task", "7", "traceId",
                "4bf92f3577b34da6a3ce929d0e0e4736", "spanId", "00f067aa0ba902b7"));
        PoolFrames.Task sent = PoolFrames.Task.read(PoolFrames.task(task.id, task.headers, task.payload));
        assertThat(sent.headers()).containsEntry("baggage", "tenant=acme").hasSize(2);
        assertThat(sent.payload()).containsExactly(1, 2);
    }

    @Test
    void anUntracedTaskOrOneWithoutAW3cTraceparentCarriesOnlyItsId() {
        PoolTask untraced = new PoolTask(8, new TaskGroup("apply", 1), new byte[0], 1, null, IGNORED);
        assertThat(untraced.outputMdc()).isEqualTo(Map.of("mp.task", "8"));
        assertThat(untraced.headers).isEmpty();

        PoolTask b3 = new PoolTask(9, new TaskGroup("apply", 1, tracing(Map.of("b3", "80f198ee56343ba8-e457b5a2e4d86bd1-1"))),
                new byte[0], 1, null, IGNORED);
        assertThat(b3.outputMdc()).isEqualTo(Map.of("mp.task", "9"));
        assertThat(WorkerTrace.ids("00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01")).isNull();
        assertThat(WorkerTrace.ids("00-short-00f067aa0ba902b7-01")).isNull();
    }
}
