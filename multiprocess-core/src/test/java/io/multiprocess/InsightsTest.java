package io.multiprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.multiprocess.pool.CallProgress;
import io.multiprocess.pool.PoolListener;
import io.multiprocess.pool.PoolSnapshot;
import io.multiprocess.pool.TaskFailedException;
import io.multiprocess.pool.TaskOutcome;
import io.multiprocess.pool.TimeSpent;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Where time goes, per worker, per call and per pool, measured in real worker JVMs. The bounds asserted are the
 * ones the work guarantees (a task that sleeps 50 ms works at least that long), not speeds.
 */
class InsightsTest {

    @Test
    void aCallAndItsWorkersTellWhereTheirTimeWent() {
        List<String> failures = new CopyOnWriteArrayList<>();
        try (ProcessPool pool = Multiprocess.getContext().pool(2)) {
            pool.addListener(new PoolListener() {
                @Override
                public void taskFailed(long taskId, long workerPid, TaskOutcome outcome, RuntimeException error) {
                    failures.add(outcome + " on " + workerPid + ": " + error.getClass().getSimpleName());
                }
            });
            AsyncResult<List<byte[]>> call = pool.mapAsync(x -> {
                Thread.sleep(50);
                return new byte[100_000];
            }, IntStream.range(0, 8).boxed().toList(), 2, null, null, null);
            assertThat(call.get(Duration.ofSeconds(60))).hasSize(8);

            CallProgress progress = call.progress();
            TimeSpent spent = progress.timeSpent();
            assertThat(spent.working()).isGreaterThanOrEqualTo(Duration.ofMillis(8 * 50));
            assertThat(spent.serializing()).isPositive();
            assertThat(spent.deserializing()).isPositive();
            assertThat(spent.starting()).isZero();
            assertThat(spent.waiting().isNegative()).isFalse();

            PoolSnapshot snapshot = pool.snapshot();
            assertThat(snapshot.workers()).hasSize(2).allSatisfy(worker -> {
                assertThat(worker.timeSpent().starting()).isPositive();
                assertThat(worker.residentBytes()).isGreaterThan(1 << 20);
                assertThat(worker.cpuTime()).isPositive();
            });
            Duration working = snapshot.workers().stream().map(worker -> worker.timeSpent().working())
                    .reduce(Duration.ZERO, Duration::plus);
            assertThat(working).isGreaterThanOrEqualTo(Duration.ofMillis(8 * 50));
            TimeSpent total = pool.totals().workerTime();
            assertThat(total.working()).isGreaterThanOrEqualTo(working);
            assertThat(total.starting()).isPositive();
            assertThat(total.serializing()).isPositive();

            long pid = pool.apply(() -> ProcessHandle.current().pid());
            assertThatThrownBy(() -> pool.apply(() -> {
                if (ProcessHandle.current().pid() > 0) {
                    throw new IllegalArgumentException("bad row");
                }
                return null;
            })).isInstanceOf(TaskFailedException.class);
            assertThat(failures).hasSize(1).first().asString().startsWith("FAILURE on ")
                    .endsWith(": TaskFailedException");
            assertThat(pid).isPositive();
        }
    }
}
