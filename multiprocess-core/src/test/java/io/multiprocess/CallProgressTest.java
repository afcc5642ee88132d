package io.multiprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.multiprocess.pool.CallProgress;
import io.multiprocess.pool.PoolListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Progress of calls on a pool, counted from the results of real worker JVMs. */
class CallProgressTest {

    @Test
    void aMapReportsItsProgressAsChunksEndAndIsListedWhileItRuns() throws Exception {
        List<CallProgress> heard = new CopyOnWriteArrayList<>();
        List<CallProgress> heardByThePool = new CopyOnWriteArrayList<>();
        try (ProcessPool pool = Multiprocess.getContext().pool(2)) {
            pool.addListener(new PoolListener() {
                @Override
                public void callProgressed(CallProgress progress) {
                    heardByThePool.add(progress);
                }
            });
            AsyncResult<List<Integer>> squares = pool.mapAsync(x -> {
                Thread.sleep(100);
                return x * x;
            }, IntStream.range(0, 12).boxed().toList(), 2, null, null, null).onProgress(heard::add);

            CallProgress running = awaitRunning(pool);
            assertThat(running.kind()).isEqualTo("map");
            assertThat(running.total()).isEqualTo(12);
            assertThat(running.finished()).isFalse();

            List<Integer> results = squares.get(Duration.ofSeconds(60));
            assertThat(results).hasSize(12);
            CallProgress last = squares.progress();
            assertThat(last.done()).isEqualTo(12);
            assertThat(last.failed()).isZero();
            assertThat(last.finished()).isTrue();
            assertThat(last.estimatedTimeLeft()).contains(Duration.ZERO);
            assertThat(last.itemsPerSecond()).isPositive();
            // The watcher heard the progress when it was added, then once per chunk (6 of 2 items), in order.
            assertThat(heard.get(heard.size() - 1).finished()).isTrue();
            assertThat(heard).extracting(CallProgress::done).isSorted().endsWith(12L);
            assertThat(heardByThePool).filteredOn(p -> p.callId() == last.callId()).hasSize(6);
            assertThat(pool.runningCalls()).isEmpty();
        }
    }

    @Test
    void failedChunksCountAllTheirItemsAsFailed() {
        try (ProcessPool pool = Multiprocess.getContext().pool(1)) {
            AsyncResult<List<Integer>> call = pool.mapAsync(x -> {
                if (x == 3) {
                    throw new IllegalStateException("bad item");
                }
                return x;
            }, IntStream.range(0, 6).boxed().toList(), 2, null, null, null);
            assertThatThrownBy(() -> call.get(Duration.ofSeconds(60))).hasMessageContaining("bad item");
            assertThat(call.progress()).satisfies(progress -> {
                assertThat(progress.done()).isEqualTo(4);
                assertThat(progress.failed()).isEqualTo(2);
                assertThat(progress.finished()).isTrue();
            });
        }
    }

    @Test
    void anImapLearnsItsTotalWhenItsInputEnds() {
        try (ProcessPool pool = Multiprocess.getContext().pool(1)) {
            ResultIterator<Integer> it = pool.imap(x -> x + 1, IntStream.range(0, 100).boxed().toList(), 10);
            // The window reads ahead only so far: the input has not ended yet.
            assertThat(it.progress().totalKnown()).isFalse();
            assertThat(it.progress().kind()).isEqualTo("imap");
            List<Integer> results = new ArrayList<>();
            it.forEachRemaining(results::add);
            assertThat(results).hasSize(100);
            assertThat(it.progress().total()).isEqualTo(100);
            assertThat(it.progress().done()).isEqualTo(100);
            assertThat(it.progress().finished()).isTrue();
            assertThat(pool.runningCalls()).isEmpty();
        }
    }

    @Test
    void anApplyIsACallOfOneItemAndAThreadPoolReportsProgressToo() {
        try (ProcessPool pool = Multiprocess.getContext().pool(1)) {
            AsyncResult<Integer> call = pool.applyAsync(() -> 42);
            assertThat(call.get(Duration.ofSeconds(60))).isEqualTo(42);
            assertThat(call.progress()).extracting(CallProgress::kind, CallProgress::done, CallProgress::total)
                    .containsExactly("apply", 1L, 1L);
        }
        try (ThreadPool threads = new ThreadPool(2)) {
            AsyncResult<List<Integer>> call = threads.mapAsync(x -> x, List.of(1, 2, 3));
            call.get(Duration.ofSeconds(10));
            assertThat(call.progress().done()).isEqualTo(3);
            assertThat(call.progress().finished()).isTrue();
        }
    }

    private static CallProgress awaitRunning(ProcessPool pool) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            List<CallProgress> calls = pool.runningCalls();
            if (!calls.isEmpty() && calls.get(0).done() > 0) {
                return calls.get(0);
            }
            Thread.sleep(5);
        }
        throw new AssertionError("no running call with progress within 60 s");
    }
}
