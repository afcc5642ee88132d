package io.multiprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.multiprocess.pool.PoolOptions;
import io.multiprocess.reduction.Reducers;
import io.multiprocess.testing.FreshContexts;
import java.util.List;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A forkserver spare runs a pool task before it is ready (see {@code PoolWorkerProcess.rehearseTask}), so a spare
 * that fails it never becomes ready: it must work with every reducer, and a worker taken from such a spare serves
 * real tasks as any other.
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
