package io.multiprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.multiprocess.pool.PoolListener;
import io.multiprocess.pool.TaskOutcome;
import io.multiprocess.pool.WorkerExitCause;
import io.multiprocess.pool.WorkerState;
import io.multiprocess.testing.PoolWorkers;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** A pool made bigger and smaller while it runs: real worker JVMs, no task lost or cut short. */
class ProcessPoolResizeTest {

    @Test
    void growingLaunchesWorkersAtOnceAndTheyTakeWork() throws Exception {
        try (ProcessPool pool = Multiprocess.getContext().pool(1)) {
            pool.apply(() -> null);
            pool.resize(3);
            assertThat(pool.snapshot().processes()).isEqualTo(3);
            PoolWorkers.await(pool, 3, WorkerState.IDLE);

            Set<Long> pids = new HashSet<>(pool.map(x -> {
                Thread.sleep(200);
                return ProcessHandle.current().pid();
            }, IntStream.range(0, 6).boxed().toList(), 1));
            assertThat(pids).as("the tasks ran on the new workers too").hasSize(3);
        }
    }

    @Test
    void shrinkingRetiresIdleWorkersFirstWithoutReplacingThem() throws Exception {
        try (ProcessPool pool = Multiprocess.getContext().pool(3)) {
            List<WorkerExitCause> exits = PoolWorkers.exitCauses(pool);
            PoolWorkers.await(pool, 3, WorkerState.IDLE);
            AsyncResult<Long> busy = pool.applyAsync(() -> {
                Thread.sleep(1_500);
                return ProcessHandle.current().pid();
            });
            PoolWorkers.await(pool, 1, WorkerState.BUSY);

            pool.resize(1);

            assertThat(busy.get(Duration.ofSeconds(30))).as("the busy worker was kept and finished its task")
                    .isPositive();
            PoolWorkers.awaitCount(pool, 1);
            Thread.sleep(500);
            assertThat(pool.snapshot().workers()).as("retired workers are not replaced").hasSize(1);
            assertThat(exits).containsExactly(WorkerExitCause.RETIRED, WorkerExitCause.RETIRED);
            assertThat(pool.apply(() -> 42)).isEqualTo(42);
        }
    }

    @Test
    void shrinkingBelowTheBusyWorkersLetsThemFinishTheirTasksFirst() throws Exception {
        List<TaskOutcome> outcomes = new CopyOnWriteArrayList<>();
        try (ProcessPool pool = Multiprocess.getContext().pool(2)) {
            pool.addListener(new PoolListener() {
                @Override
                public void taskFinished(long taskId, int size, TaskOutcome outcome, Duration duration) {
                    outcomes.add(outcome);
                }
            });
            // Both workers ready first, and tasks long enough that a slow CI machine still sees them busy together.
            PoolWorkers.await(pool, 2, WorkerState.IDLE);
            AsyncResult<List<Integer>> map = pool.mapAsync(x -> {
                Thread.sleep(1_000);
                return x * 2;
            }, IntStream.range(0, 4).boxed().toList(), 1, null, null, null);
            PoolWorkers.await(pool, 2, WorkerState.BUSY);

            pool.resize(1);

            assertThat(map.get(Duration.ofSeconds(60))).containsExactly(0, 2, 4, 6);
            assertThat(outcomes).as("every task succeeded, none cut short").containsOnly(TaskOutcome.SUCCESS);
            PoolWorkers.awaitCount(pool, 1);
        }
    }

    @Test
    void aClosedPoolAndASizeBelowOneAreRefused() {
        ProcessPool pool = Multiprocess.getContext().pool(1);
        assertThatThrownBy(() -> pool.resize(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 1");
        pool.close();
        assertThatThrownBy(() -> pool.resize(2)).isInstanceOf(IllegalStateException.class);
    }
}
