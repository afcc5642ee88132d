package io.multiprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.multiprocess.internal.pool.Scheduler;
import io.multiprocess.pool.PoolListener;
import io.multiprocess.pool.PoolOptions;
import io.multiprocess.pool.PoolSnapshot;
import io.multiprocess.pool.TaskFailedException;
import io.multiprocess.pool.TaskOutcome;
import io.multiprocess.reduction.ReductionException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Python's Pool API on one shared pool of two worker JVMs: results, errors, callbacks, laziness. */
class ProcessPoolTest {

    private static ProcessPool pool;

    @BeforeAll
    static void startPool() {
        pool = Multiprocess.getContext().pool(2);
    }

    @AfterAll
    static void stopPool() {
        pool.close();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 3, 7, 1000})
    void mapEqualsTheSerialResultForAnyChunksize(int chunksize) {
        List<Integer> items = IntStream.range(0, 101).boxed().toList();

        List<Integer> squares = chunksize == 0 ? pool.map(x -> x * x, items) : pool.map(x -> x * x, items, chunksize);

        assertThat(squares).isEqualTo(items.stream().map(x -> x * x).toList());
    }

    @Test
    void manySmallTasksFromSeveralThreadsAllComeBackRight() throws Exception {
        List<Integer> items = IntStream.range(0, 20_000).boxed().toList();
        List<AsyncResult<List<Integer>>> maps = new ArrayList<>();
        List<Thread> submitters = new ArrayList<>();
        for (int t = 0; t < 3; t++) {
            int offset = t;
            Thread submitter = new Thread(() -> {
                AsyncResult<List<Integer>> result = pool.mapAsync(x -> x + offset, items, 1, null, null, null);
                synchronized (maps) {
                    maps.add(result);
                }
            });
            submitters.add(submitter);
            submitter.start();
        }
        for (Thread submitter : submitters) {
            submitter.join();
        }

        for (AsyncResult<List<Integer>> result : maps) {
            List<Integer> values = result.get(Duration.ofSeconds(120));
            int offset = values.get(0);
            assertThat(values).isEqualTo(items.stream().map(x -> x + offset).toList());
        }
    }

    @Test
    void aPoolsOwnJvmArgumentsApplyToItsWorkersOnly() {
        BaseContext context = Multiprocess.getContext();
        try (ProcessPool sized = context.pool(PoolOptions.defaults().processes(1)
                .jvmArguments(List.of("-Xmx64m", "-Dmultiprocess.test.pool=sized")))) {
            String seen = sized.apply(() -> System.getProperty("multiprocess.test.pool") + " "
                    + (Runtime.getRuntime().maxMemory() <= 64L * 1024 * 1024));

            assertThat(seen).isEqualTo("sized true");
            assertThat(sized.context()).isNotSameAs(context);
            assertThat(context.getJvmArguments()).doesNotContain("-Xmx64m");
        }
        assertThat(pool.apply(() -> String.valueOf(System.getProperty("multiprocess.test.pool")))).isEqualTo("null");
    }

    @Test
    void mapOfNothingIsAnEmptyList() {
        assertThat(pool.map((Integer x) -> x, List.of())).isEmpty();
        assertThat(pool.map((Integer x) -> x, List.of(), 5)).isEmpty();
    }

    @Test
    void theDefaultChunksizeIsPythons() {
        assertThat(ProcessPool.defaultChunksize(100, 2)).isEqualTo(13);
        assertThat(ProcessPool.defaultChunksize(8, 2)).isEqualTo(1);
        assertThat(ProcessPool.defaultChunksize(9, 2)).isEqualTo(2);
        assertThat(ProcessPool.defaultChunksize(0, 2)).isZero();
    }

    @Test
    void applyRunsInAWorkerJvm() {
        long workerPid = pool.apply(() -> ProcessHandle.current().pid());

        assertThat(workerPid).isNotEqualTo(ProcessHandle.current().pid());
        assertThat(pool.snapshot().workers()).extracting(PoolSnapshot.Worker::pid).contains(workerPid);
    }

    @Test
    void starmapSpreadsPairsAndArgumentArrays() {
        List<Map.Entry<Integer, String>> pairs = List.of(Map.entry(2, "a"), Map.entry(3, "b"));

        assertThat(pool.starmap((Integer n, String s) -> s.repeat(n), pairs)).containsExactly("aa", "bbb");
        assertThat(pool.<Integer>starmapArgs(args -> (int) args[0] + (int) args[1] + (int) args[2],
                List.of(new Object[] {1, 2, 3}, new Object[] {4, 5, 6}))).containsExactly(6, 15);
    }

    @Test
    void aTasksExceptionComesBackWithItsTypeMessageAndRemoteStackTrace() {
        assertThatThrownBy(() -> pool.apply(() -> Integer.parseInt("forty-two")))
                .isInstanceOf(TaskFailedException.class)
                .hasMessageContaining("worker pid")
                .cause().isInstanceOf(NumberFormatException.class)
                .hasMessageContaining("forty-two")
                .satisfies(cause -> assertThat(cause.getStackTrace()).anyMatch(frame ->
                        frame.getClassName().equals(PoolWorkerProcess.class.getName())));
    }

    @Test
    void mapReportsTheFirstFailureOnlyAfterEveryChunkFinished() throws Exception {
        List<Integer> items = IntStream.range(0, 40).boxed().toList();
        List<Integer> finished = new CopyOnWriteArrayList<>();
        PoolListener counter = new PoolListener() {
            @Override
            public void taskFinished(long taskId, int size, TaskOutcome outcome, Duration duration) {
                finished.add(size);
            }
        };
        pool.addListener(counter);
        AsyncResult<List<Integer>> result = pool.mapAsync(x -> {
            if (x == 3) {
                throw new IllegalArgumentException("three");
            }
            Thread.sleep(5);
            return x;
        }, items, 4, null, null, null);

        assertThatThrownBy(result::get).isInstanceOf(TaskFailedException.class)
                .cause().isInstanceOf(IllegalArgumentException.class).hasMessage("three");
        assertThat(finished.stream().mapToInt(Integer::intValue).sum()).isGreaterThanOrEqualTo(40);
        assertThat(result.ready()).isTrue();
        assertThat(result.successful()).isFalse();
        pool.removeListener(counter);
    }

    @Test
    void callbacksFireOnceWithTheResultOrTheError() throws Exception {
        List<Object> calls = new CopyOnWriteArrayList<>();
        AsyncResult<Integer> ok = pool.applyAsync(() -> 7, calls::add, calls::add);
        AsyncResult<Integer> bad = pool.applyAsync(() -> {
            throw new IllegalStateException("bad");
        }, calls::add, calls::add);
        AsyncResult<List<Integer>> mapped = pool.mapAsync(x -> x + 1, List.of(1, 2), 1, null, calls::add, calls::add);
        ok.waitFor(Duration.ofSeconds(30));
        bad.waitFor(Duration.ofSeconds(30));
        mapped.waitFor(Duration.ofSeconds(30));
        // Callbacks run before the result is ready, so they have all run by now; a second call would show late.
        Thread.sleep(50);

        assertThat(calls).hasSize(3);
        assertThat(calls).contains(7, List.of(2, 3));
        assertThat(calls).filteredOn(TaskFailedException.class::isInstance).hasSize(1);
    }

    @Test
    void asyncResultIsAFutureAndACompletableFuture() throws Exception {
        AsyncResult<String> result = pool.applyAsync(() -> "done");

        assertThat(result.get(30, TimeUnit.SECONDS)).isEqualTo("done");
        assertThat(result.toCompletableFuture().thenApply(String::length).get()).isEqualTo(4);
        assertThat(result.isDone()).isTrue();
        assertThat(result.successful()).isTrue();
        AsyncResult<Integer> failing = pool.applyAsync(() -> 1 / 0);
        assertThatThrownBy(() -> failing.get(30, TimeUnit.SECONDS))
                .isInstanceOf(java.util.concurrent.ExecutionException.class)
                .cause().isInstanceOf(TaskFailedException.class);
    }

    @Test
    void getWithATimeoutThrowsWhileTheTaskGoesOn() {
        AsyncResult<String> slow = pool.applyAsync(() -> {
            Thread.sleep(1500);
            return "late";
        });

        assertThatThrownBy(() -> slow.get(Duration.ofMillis(50))).isInstanceOf(ResultTimeoutException.class);
        assertThat(slow.waitFor(Duration.ofMillis(10))).isFalse();
        assertThatThrownBy(slow::successful).isInstanceOf(IllegalStateException.class);
        assertThat(slow.get(Duration.ofSeconds(30))).isEqualTo("late");
    }

    @Test
    void imapYieldsInOrderAndImapUnorderedYieldsEverything() {
        List<Integer> items = IntStream.range(0, 50).boxed().toList();

        List<Integer> ordered = new ArrayList<>();
        pool.imap((Integer x) -> x * 2, items, 3).forEachRemaining(ordered::add);
        List<Integer> unordered = new ArrayList<>();
        pool.imapUnordered((Integer x) -> x * 2, items).forEachRemaining(unordered::add);

        assertThat(ordered).isEqualTo(items.stream().map(x -> x * 2).toList());
        assertThat(unordered).containsExactlyInAnyOrderElementsOf(ordered);
    }

    @Test
    void imapOverAHundredThousandItemGeneratorReadsAheadOnlyABoundedWindow() {
        java.util.concurrent.atomic.AtomicLong produced = new java.util.concurrent.atomic.AtomicLong();
        Iterable<Integer> generator = () -> new Iterator<>() {
            @Override
            public boolean hasNext() {
                return produced.get() < 100_000;
            }

            @Override
            public Integer next() {
                return (int) produced.getAndIncrement();
            }
        };
        int chunksize = 50;
        long consumed = 0;
        long maxAhead = 0;
        long sum = 0;

        ResultIterator<Integer> results = pool.imap((Integer x) -> x % 7, generator, chunksize);
        while (results.hasNext()) {
            sum += results.next();
            consumed++;
            maxAhead = Math.max(maxAhead, produced.get() - consumed);
        }

        assertThat(consumed).isEqualTo(100_000);
        assertThat(sum).isEqualTo(IntStream.range(0, 100_000).map(x -> x % 7).asLongStream().sum());
        assertThat(maxAhead).as("items read from the input but not yet consumed")
                .isLessThanOrEqualTo((2L * (Scheduler.PREFETCH + 2) + 1) * chunksize);
    }

    @Test
    void imapNextWithATimeoutThrowsWhenNothingIsReady() {
        ResultIterator<Integer> it = pool.imap((Integer x) -> {
            Thread.sleep(1500);
            return x;
        }, List.of(1));

        assertThatThrownBy(() -> it.next(Duration.ofMillis(50))).isInstanceOf(ResultTimeoutException.class);
        assertThat(it.next(Duration.ofSeconds(30))).isEqualTo(1);
        assertThat(it.hasNext()).isFalse();
        assertThatThrownBy(it::next).isInstanceOf(NoSuchElementException.class);
    }

    @Test
    void anIterableThatThrowsSurfacesFromMapAndFromImapNext() {
        Iterable<Integer> broken = () -> new Iterator<>() {
            private int i;

            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public Integer next() {
                if (i == 5) {
                    throw new IllegalStateException("input broke at 5");
                }
                return i++;
            }
        };

        assertThatThrownBy(() -> pool.map((Integer x) -> x, broken)).isInstanceOf(IllegalStateException.class)
                .hasMessage("input broke at 5");
        ResultIterator<Integer> it = pool.imap((Integer x) -> x, broken);
        List<Integer> before = new ArrayList<>();
        assertThatThrownBy(() -> {
            while (it.hasNext()) {
                before.add(it.next());
            }
        }).isInstanceOf(IllegalStateException.class).hasMessage("input broke at 5");
        assertThat(before).containsExactly(0, 1, 2, 3, 4);
    }

    @Test
    void anArgumentThatCannotBeReducedFailsAtSubmit() {
        Runnable notSerializable = () -> { };

        assertThatThrownBy(() -> pool.applyAsync(() -> {
            notSerializable.run();
            return 1;
        })).isInstanceOf(ReductionException.class).hasMessageContaining("cannot submit");
        assertThatThrownBy(() -> pool.map((Object x) -> x, List.of(new Object[] {notSerializable})))
                .isInstanceOf(ReductionException.class);
    }

    @Test
    void aResultThatCannotBeReducedFailsThatTaskNamingTheResult() {
        assertThatThrownBy(() -> pool.apply(() -> (Runnable) () -> { }))
                .isInstanceOf(TaskFailedException.class)
                .hasMessageContaining("result could not be sent back")
                .hasMessageContaining("kryo");
        assertThat(pool.apply(() -> "still serving")).isEqualTo("still serving");
    }

}
