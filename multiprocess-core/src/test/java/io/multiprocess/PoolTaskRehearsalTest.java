package io.multiprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.multiprocess.pool.PoolOptions;
import io.multiprocess.reduction.NoIntArraysReducer;
import io.multiprocess.reduction.Reducers;
import io.multiprocess.testing.FreshContexts;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A forkserver spare, and a worker launched for its pool, run a pool task before they are ready (see
 * {@code PoolWorkerProcess.rehearseTask}): it works with every built-in reducer, a worker that rehearsed serves real
 * tasks as any other, and a reducer that fails the rehearsal costs only the speed-up, never the worker.
 */
class PoolTaskRehearsalTest {

    @RegisterExtension
    final FreshContexts contexts = new FreshContexts();

    @ParameterizedTest
    @ValueSource(strings = {"kryo", "java", "jackson"})
    void theRehearsalRunsWithEveryReducer(String reducer) {
        assertThatCode(() -> PoolWorkerProcess.rehearseTask(Reducers.byName(reducer))).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @ValueSource(strings = {"forkserver", "spawn"})
    void aReducerThatFailsTheRehearsalStillServesAndKeepsItsWorker(String method) {
        BaseContext context = contexts.create(method);
        context.setReducer(NoIntArraysReducer.class.getName());
        context.prewarm(1).join();
        try (ProcessPool pool = context.pool(PoolOptions.defaults().processes(1))) {
            Set<Long> pids = new HashSet<>();
            for (int i = 0; i < 5; i++) {
                assertThat(pool.apply(() -> "served")).isEqualTo("served");
                pids.add(pool.apply(() -> ProcessHandle.current().pid()));
            }
            // A failed rehearsal that marked the JVM as broken would end the worker after its first task.
            assertThat(pids).hasSize(1);
            assertThat(pool.totals().workersStarted()).isEqualTo(1);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"kryo", "java", "jackson"})
    void workersFromRehearsedSparesServeEveryKindOfCall(String reducer) {
        BaseContext context = contexts.create("forkserver");
        context.setReducer(Reducers.byName(reducer));
        context.prewarm(2).join();
        try (ProcessPool pool = context.pool(PoolOptions.defaults().processes(2))) {
            assertThat(pool.apply(() -> "applied")).isEqualTo("applied");
            assertThat(pool.map(x -> (Integer) x * 2, List.of(1, 2, 3))).containsExactly(2, 4, 6);
            assertThat(pool.map(String::length, List.of("a", "bb"))).containsExactly(1, 2);
        }
    }
}
