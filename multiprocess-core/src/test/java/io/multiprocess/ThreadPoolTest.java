package io.multiprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.multiprocess.pool.PoolOptions;
import io.multiprocess.pool.TaskFailedException;
import io.multiprocess.pool.TaskTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The same pool API on threads of this JVM. */
class ThreadPoolTest {

    private static final Set<String> INITIALIZED = ConcurrentHashMap.newKeySet();
    /** Tasks on threads share this JVM's statics: a latch here tells the test a task has started. */
    private static final java.util.concurrent.atomic.AtomicReference<java.util.concurrent.CountDownLatch> STARTED =
            new java.util.concurrent.atomic.AtomicReference<>();

    @Test
    void mapApplyStarmapAndImapWorkOnThreadsOfThisJvm() {
        try (ThreadPool pool = new ThreadPool(3)) {
            List<Integer> items = IntStream.range(0, 100).boxed().toList();

            assertThat(pool.map(x -> x * 2, items)).isEqualTo(items.stream().map(x -> x * 2).toList());
            assertThat(pool.apply(() -> ProcessHandle.current().pid())).isEqualTo(ProcessHandle.current().pid());
            assertThat(pool.starmap((Integer a, Integer b) -> a * b, List.of(Map.entry(3, 4)))).containsExactly(12);
            List<Integer> streamed = new ArrayList<>();
            pool.imap((Integer x) -> x + 1, items, 7).forEachRemaining(streamed::add);
            assertThat(streamed).isEqualTo(items.stream().map(x -> x + 1).toList());
        }
    }

    @Test
    void aTasksExceptionComesBackWithItsType() {
        try (ThreadPool pool = new ThreadPool(1)) {
            assertThatThrownBy(() -> pool.apply(() -> Integer.parseInt("x")))
                    .isInstanceOf(TaskFailedException.class).cause().isInstanceOf(NumberFormatException.class);
        }
    }

    @Test
    void aTimeoutFailsTheTaskAndInterruptsItsThread() {
        try (ThreadPool pool = new ThreadPool(1)) {
            AsyncResult<String> slow = pool.applyAsync(() -> {
                Thread.sleep(60_000);
                return "never";
            }, Duration.ofMillis(100));

            assertThatThrownBy(() -> slow.get(Duration.ofSeconds(30))).isInstanceOf(TaskTimeoutException.class);
            assertThat(pool.apply(() -> "next")).isEqualTo("next");
        }
    }

    @Test
    void cancelDropsQueuedWorkAndInterruptsRunningWork() throws Exception {
        try (ThreadPool pool = new ThreadPool(1)) {
            java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);
            STARTED.set(started);
            AsyncResult<Integer> running = pool.applyAsync(() -> {
                STARTED.get().countDown();
                Thread.sleep(60_000);
                return 1;
            });
            AsyncResult<Integer> queued = pool.applyAsync(() -> 2);
            assertThat(started.await(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();

            assertThat(queued.cancel(false)).isTrue();
            assertThat(running.cancel(false)).isFalse();
            assertThat(running.cancel(true)).isTrue();
            assertThatThrownBy(running::get).isInstanceOf(CancellationException.class);
            assertThat(pool.apply(() -> 3)).isEqualTo(3);
        }
    }

    @Test
    void theInitializerRunsOnceInEachThread() {
        INITIALIZED.clear();
        try (ThreadPool pool = new ThreadPool(PoolOptions.defaults().processes(2)
                .initializer(() -> INITIALIZED.add(Thread.currentThread().getName())))) {
            pool.map(x -> {
                Thread.sleep(20);
                return x;
            }, IntStream.range(0, 20).boxed().toList(), 1);
        }

        assertThat(INITIALIZED).hasSize(2);
    }

    @Test
    void optionsThatNeedProcessesAreRefused() {
        assertThatThrownBy(() -> new ThreadPool(PoolOptions.defaults().maxTasksPerChild(5)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ProcessPool");
    }

    @Test
    void terminateCancelsPendingWorkAndCloseRefusesMore() {
        ThreadPool pool = new ThreadPool(1);
        AsyncResult<Integer> running = pool.applyAsync(() -> {
            Thread.sleep(60_000);
            return 1;
        });
        AsyncResult<Integer> queued = pool.applyAsync(() -> 2);

        pool.terminate();
        pool.join();

        assertThatThrownBy(running::get).isInstanceOf(CancellationException.class);
        assertThatThrownBy(queued::get).isInstanceOf(CancellationException.class);
        assertThatThrownBy(() -> pool.apply(() -> 1)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Pool not running");
    }
}
