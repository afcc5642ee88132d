package io.multiprocess.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.multiprocess.ProcessPool;
import io.multiprocess.pool.PoolListener;
import io.multiprocess.pool.PoolSnapshot;
import io.multiprocess.pool.WorkerExitCause;
import io.multiprocess.pool.WorkerState;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Waiting for a pool's workers to reach a state, and hearing why they exit, for pool tests. */
public final class PoolWorkers {

    private static final Duration PATIENCE = Duration.ofSeconds(60);

    private PoolWorkers() {
    }

    /**
     * Waits until at least {@code count} workers are in {@code state}, and asserts on the snapshot it polled: a
     * second one may already show them between tasks.
     */
    public static void await(ProcessPool pool, int count, WorkerState state) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        List<WorkerState> states = states(pool);
        while (states.stream().filter(state::equals).count() < count && System.nanoTime() < deadline) {
            Thread.sleep(10);
            states = states(pool);
        }
        assertThat(states).filteredOn(state::equals).hasSizeGreaterThanOrEqualTo(count);
    }

    /** Waits until the pool has exactly {@code count} workers, whatever their state. */
    public static void awaitCount(ProcessPool pool, int count) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (pool.snapshot().workers().size() != count && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(pool.snapshot().workers()).hasSize(count);
    }

    /** The causes of the pool's worker exits from now on, in order. */
    public static List<WorkerExitCause> exitCauses(ProcessPool pool) {
        List<WorkerExitCause> exits = new CopyOnWriteArrayList<>();
        pool.addListener(new PoolListener() {
            @Override
            public void workerExited(long pid, WorkerExitCause cause, int exitCode) {
                exits.add(cause);
            }
        });
        return exits;
    }

    private static List<WorkerState> states(ProcessPool pool) {
        return pool.snapshot().workers().stream().map(PoolSnapshot.Worker::state).toList();
    }
}
