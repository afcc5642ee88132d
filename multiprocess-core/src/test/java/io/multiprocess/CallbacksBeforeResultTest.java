package io.multiprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.multiprocess.pool.TaskFailedException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Python runs a call's callback before its result is ready; so must both pools, or a caller that reads what the
 * callback wrote right after {@code get()} sees nothing.
 */
class CallbacksBeforeResultTest {

    private static final int ROUNDS = 40;
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static ProcessPool processPool;
    private static ThreadPool threadPool;

    @BeforeAll
    static void startPools() {
        processPool = Multiprocess.getContext().pool(2);
        threadPool = new ThreadPool(2);
    }

    @AfterAll
    static void stopPools() {
        processPool.close();
        threadPool.close();
    }

    static Stream<String> pools() {
        return Stream.of("process", "thread");
    }

    private static Pool pool(String kind) {
        return kind.equals("process") ? processPool : threadPool;
    }

    /** A callback slow enough that a result completed before it ran would be seen before the flag is set. */
    private static <V> Consumer<V> slowlySets(AtomicBoolean flag) {
        return value -> {
            sleep(15);
            flag.set(true);
        };
    }

    @ParameterizedTest
    @MethodSource("pools")
    void getReturnsOnlyAfterTheCallbackRan(String kind) {
        for (int i = 0; i < ROUNDS; i++) {
            AtomicBoolean called = new AtomicBoolean();
            int n = i;
            AsyncResult<Integer> result = pool(kind).applyAsync(() -> n * 2, null, slowlySets(called), null);

            assertThat(result.get(DEADLINE)).isEqualTo(n * 2);
            assertThat(called).as("callback ran before get() returned, round %d", i).isTrue();
        }
    }

    @ParameterizedTest
    @MethodSource("pools")
    void getThrowsOnlyAfterTheErrorCallbackRan(String kind) {
        for (int i = 0; i < ROUNDS; i++) {
            AtomicBoolean called = new AtomicBoolean();
            AsyncResult<Integer> result = pool(kind).applyAsync(() -> {
                throw new IllegalStateException("bad");
            }, null, null, slowlySets(called));

            assertThatThrownBy(() -> result.get(DEADLINE)).isInstanceOf(TaskFailedException.class);
            assertThat(called).as("error callback ran before get() threw, round %d", i).isTrue();
        }
    }

    @ParameterizedTest
    @MethodSource("pools")
    void waitForReadyAndSuccessfulSeeTheResultOnlyAfterTheCallbackRan(String kind) {
        for (int i = 0; i < ROUNDS; i++) {
            AtomicBoolean called = new AtomicBoolean();
            AtomicBoolean errorCalled = new AtomicBoolean();
            AsyncResult<List<Integer>> mapped = pool(kind).mapAsync(x -> x + 1, List.of(1, 2, 3), 1, null,
                    slowlySets(called), null);
            AsyncResult<List<Integer>> failed = pool(kind).mapAsync(x -> 1 / (x - 2), List.of(1, 2, 3), 1, null,
                    null, slowlySets(errorCalled));

            assertThat(mapped.waitFor(DEADLINE)).isTrue();
            assertThat(called).as("map callback ran before waitFor() returned, round %d", i).isTrue();
            while (!failed.ready()) {
                Thread.onSpinWait();
            }
            assertThat(errorCalled).as("error callback ran before ready() was true, round %d", i).isTrue();
            assertThat(failed.successful()).isFalse();
            assertThat(mapped.get()).containsExactly(2, 3, 4);
        }
    }

    @ParameterizedTest
    @MethodSource("pools")
    void aThrowingCallbackNeitherHangsNorLosesTheResult(String kind) {
        AtomicInteger calls = new AtomicInteger();
        for (int i = 0; i < 5; i++) {
            AsyncResult<String> ok = pool(kind).applyAsync(() -> "value", null, value -> {
                calls.incrementAndGet();
                throw new IllegalStateException("callback broke");
            }, null);
            AsyncResult<String> bad = pool(kind).applyAsync(() -> {
                throw new IllegalArgumentException("task broke");
            }, null, null, error -> {
                calls.incrementAndGet();
                throw new StackOverflowError("error callback broke");
            });

            assertThat(ok.get(DEADLINE)).isEqualTo("value");
            assertThatThrownBy(() -> bad.get(DEADLINE)).isInstanceOf(TaskFailedException.class)
                    .hasMessageContaining("task broke");
        }
        assertThat(calls).hasValue(10);
        assertThat(pool(kind).apply(() -> "still serving")).isEqualTo("still serving");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
