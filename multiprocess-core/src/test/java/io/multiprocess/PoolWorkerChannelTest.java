package io.multiprocess;

import static org.assertj.core.api.Assertions.assertThat;

import io.multiprocess.pool.PoolOptions;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A pool worker reads its channel on the thread that runs its tasks, between tasks; while a long task runs, the
 * parent watcher reads for it. Seen from inside real worker JVMs: the watcher's state while a task runs.
 */
class PoolWorkerChannelTest {

    private static ProcessPool pool;

    @BeforeAll
    static void startPool() {
        pool = Multiprocess.getContext().pool(PoolOptions.defaults().processes(1));
    }

    @AfterAll
    static void stopPool() {
        pool.close();
    }

    @Test
    void duringAShortTaskNobodyReadsAndDuringALongOneTheWatcherDoes() {
        pool.apply(() -> null);

        // Read on the task thread: the task came to it straight from the socket, and the watcher sleeps.
        Thread.State duringAShortTask = pool.apply(PoolWorkerChannelTest::watcherState);
        assertThat(duringAShortTask).isEqualTo(Thread.State.TIMED_WAITING);
        // After 50 ms of a task the watcher reads the socket (a native read: RUNNABLE), so the worker still
        // answers thread dumps and log levels and sees its parent go.
        Thread.State duringALongTask = pool.apply(() -> {
            Thread.sleep(300);
            return watcherState();
        });
        assertThat(duringALongTask).isEqualTo(Thread.State.RUNNABLE);
        // The watcher gave the channel back with the next task: the task thread reads again.
        assertThat((Object) pool.apply(() -> null)).isNull();
        Thread.State afterwards = pool.apply(PoolWorkerChannelTest::watcherState);
        assertThat(afterwards).isEqualTo(Thread.State.TIMED_WAITING);
    }

    @Test
    void tasksReadByEitherThreadComeInOrder() {
        // Long and short tasks alternate, one at a time: some are read by the watcher during a long task, the
        // others by the task thread.
        List<Integer> items = IntStream.range(0, 24).boxed().toList();

        List<Integer> results = pool.map(x -> {
            if (x % 3 == 0) {
                Thread.sleep(80);
            }
            return x * 10;
        }, items, 1);

        assertThat(results).isEqualTo(items.stream().map(x -> x * 10).toList());
    }

    private static Thread.State watcherState() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().equals("multiprocess-parent-watcher"))
                .findFirst().orElseThrow().getState();
    }
}
