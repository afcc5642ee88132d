package io.multiprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.multiprocess.pool.PoolListener;
import io.multiprocess.pool.PoolSnapshot;
import io.multiprocess.pool.TaskOutcome;
import io.multiprocess.pool.WorkerExitCause;
import io.multiprocess.pool.WorkerState;
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
            awaitWorkers(pool, 3, WorkerState.IDLE);

            Set<Long> pids = new HashSet<>(pool.map(x -> {
                Thread.sleep(200);
                return ProcessHandle.current().pid();
            }, IntStream.range(0, 6).boxed().toList(), 1));
            assertThat(pids).as("the tasks ran on the new workers too").hasSize(3);
        }
    }

    @Test
    void shrinkingRetiresIdleWorkersFirstWithoutReplacingThem() throws Exception {
        List<WorkerExitCause> exits = new CopyOnWriteArrayList<>();
        try (ProcessPool pool = Multiprocess.getContext().pool(3)) {
            pool.addListener(new PoolListener() {
                @Override
                public void workerExited(long pid, WorkerExitCause cause, int exitCode) {
                    exits.add(cause);
                }
            });
            awaitWorkers(pool, 3, WorkerState.IDLE);
            AsyncResult<Long> busy = pool.applyAsync(() -> {
                Thread.sleep(1_500);
                return ProcessHandle.current().pid();
            });
            awaitWorkers(pool, 1, WorkerState.BUSY);

            pool.resize(1);

            assertThat(busy.get(Duration.ofSeconds(30))).as("the busy worker was kept and finished its task")
                    .isPositive();
            awaitWorkerCount(pool, 1);
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
            awaitWorkers(pool, 2, WorkerState.IDLE);
            AsyncResult<List<Integer>> map = pool.mapAsync(x -> {
                Thread.sleep(1_000);
                return x * 2;
            }, IntStream.range(0, 4).boxed().toList(), 1, null, null, null);
            awaitWorkers(pool, 2, WorkerState.BUSY);

            pool.resize(1);

            assertThat(map.get(Duration.ofSeconds(60))).containsExactly(0, 2, 4, 6);
            assertThat(outcomes).as("every task succeeded, none cut short").containsOnly(TaskOutcome.SUCCESS);
            awaitWorkerCount(pool, 1);
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

    private static void awaitWorkers(ProcessPool pool, int count, WorkerState state) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        List<WorkerState> states = states(pool);
        while (states.stream().filter(state::equals).count() < count && System.nanoTime() < deadline) {
            Thread.sleep(10);
            states = states(pool);
        }
        // Asserts on the snapshot the loop saw: a second one may already show the workers between tasks.
        assertThat(states).filteredOn(state::equals).hasSizeGreaterThanOrEqualTo(count);
    }

    private static List<WorkerState> states(ProcessPool pool) {
        return pool.snapshot().workers().stream().map(PoolSnapshot.Worker::state).toList();
    }

    private static void awaitWorkerCount(ProcessPool pool, int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (pool.snapshot().workers().size() != count && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(pool.snapshot().workers()).hasSize(count);
    }
}
