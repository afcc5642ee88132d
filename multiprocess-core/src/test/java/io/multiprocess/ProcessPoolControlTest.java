package io.multiprocess;

import static org.assertj.core.api.Assertions.assertThat;

import io.multiprocess.pool.PoolOptions;
import io.multiprocess.pool.PoolSnapshot;
import io.multiprocess.pool.PoolTotals;
import io.multiprocess.pool.TaskOutcome;
import io.multiprocess.pool.WorkerExitCause;
import io.multiprocess.pool.WorkerState;
import io.multiprocess.testing.PoolWorkers;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** A pool started later than created, workers recycled on request, and the totals metrics are built on. */
class ProcessPoolControlTest {

    @Test
    void aDeferredPoolLaunchesNothingUntilStarted() throws Exception {
        try (ProcessPool pool = Multiprocess.getContext().pool(PoolOptions.defaults().processes(2).deferStart(true))) {
            Thread.sleep(300);
            assertThat(pool.isStarted()).isFalse();
            assertThat(pool.snapshot().workers()).as("no worker JVM before start()").isEmpty();
            assertThat(pool.totals().workersStarted()).isZero();

            pool.start();
            pool.start();

            PoolWorkers.await(pool, 2, WorkerState.IDLE);
            assertThat(pool.snapshot().workers()).extracting(PoolSnapshot.Worker::slot).containsExactlyInAnyOrder(0, 1);
            assertThat(pool.totals().workersStarted()).as("the first workers count as started").isEqualTo(2);
        }
    }

    @Test
    void aDeferredPoolGivenATaskFirstStartsThen() {
        try (ProcessPool pool = Multiprocess.getContext().pool(PoolOptions.defaults().processes(1).deferStart(true))) {
            assertThat(pool.apply(() -> 6 * 7)).isEqualTo(42);
            assertThat(pool.isStarted()).isTrue();
        }
    }

    @Test
    void aDeferredPoolClosedBeforeItStartedEndsAtOnce() {
        ProcessPool pool = Multiprocess.getContext().pool(PoolOptions.defaults().processes(2).deferStart(true));
        pool.resize(3);
        pool.close();
        assertThat(pool.join(Duration.ofSeconds(5))).isTrue();
        pool.start();
        assertThat(pool.snapshot().workers()).isEmpty();
        assertThat(pool.totals().workersStarted()).isZero();
    }

    @Test
    void aRecycledWorkerIsReplacedInItsSlotAfterItsTask() throws Exception {
        try (ProcessPool pool = Multiprocess.getContext().pool(2)) {
            List<WorkerExitCause> exits = PoolWorkers.exitCauses(pool);
            PoolWorkers.await(pool, 2, WorkerState.IDLE);
            AsyncResult<Long> busy = pool.applyAsync(() -> {
                Thread.sleep(1_000);
                return ProcessHandle.current().pid();
            });
            PoolWorkers.await(pool, 1, WorkerState.BUSY);
            long busyPid = pool.snapshot().workers().stream().filter(w -> w.state() == WorkerState.BUSY)
                    .findFirst().orElseThrow().pid();
            int busySlot = pool.snapshot().workers().stream().filter(w -> w.pid() == busyPid).findFirst()
                    .orElseThrow().slot();

            assertThat(pool.recycleWorker(busyPid)).isTrue();
            assertThat(pool.recycleWorker(busyPid)).as("already on its way out").isFalse();
            assertThat(pool.recycleWorker(-1)).as("not a worker").isFalse();

            assertThat(busy.get(Duration.ofSeconds(30))).as("its task was not cut short").isEqualTo(busyPid);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while ((pool.snapshot().workers().stream().anyMatch(w -> w.pid() == busyPid)
                    || pool.snapshot().workers().size() < 2) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(pool.snapshot().workers()).extracting(PoolSnapshot.Worker::pid).doesNotContain(busyPid)
                    .hasSize(2);
            assertThat(pool.snapshot().workers()).extracting(PoolSnapshot.Worker::slot)
                    .as("the replacement took the recycled worker's place").contains(busySlot)
                    .containsExactlyInAnyOrder(0, 1);
            assertThat(exits).containsExactly(WorkerExitCause.RECYCLED);
            PoolTotals totals = pool.totals();
            assertThat(totals.workersStarted()).isEqualTo(3);
            assertThat(totals.workerExits().get(WorkerExitCause.RECYCLED)).isEqualTo(1);
        }
    }

    @Test
    void totalsCountTasksItemsAndTimeByOutcome() {
        try (ProcessPool pool = Multiprocess.getContext().pool(1)) {
            pool.map(x -> x + 1, IntStream.range(0, 10).boxed().toList(), 5);
            try {
                pool.apply(() -> {
                    throw new IllegalStateException("boom");
                });
            } catch (RuntimeException expected) {
                // counted below
            }
            PoolTotals totals = pool.totals();
            assertThat(totals.tasks().get(TaskOutcome.SUCCESS)).isEqualTo(2);
            assertThat(totals.items().get(TaskOutcome.SUCCESS)).isEqualTo(10);
            assertThat(totals.tasks().get(TaskOutcome.FAILURE)).isEqualTo(1);
            assertThat(totals.tasks().get(TaskOutcome.CRASH)).isZero();
            assertThat(totals.taskTime().get(TaskOutcome.SUCCESS)).isPositive();
        }
    }
}
