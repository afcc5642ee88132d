package io.multiprocess.synchronize;

import static io.multiprocess.synchronize.Children.PATIENCE;
import static org.assertj.core.api.Assertions.assertThat;

import io.multiprocess.BaseContext;
import io.multiprocess.Multiprocess;
import io.multiprocess.ProcessPool;
import io.multiprocess.reduction.Reducer;
import io.multiprocess.reduction.Reducers;
import io.multiprocess.testing.FreshContexts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Synchronization objects travel through every reducer, to process arguments, lambdas and pool tasks. */
class SyncTravelTest {

    @TempDir
    Path dir;

    @RegisterExtension
    final Children children = new Children();

    @RegisterExtension
    final FreshContexts contexts = new FreshContexts();

    private final BaseContext ctx = Multiprocess.getContext();

    record Everything(Lock lock, RLock rlock, Semaphore semaphore, BoundedSemaphore bounded, Condition condition,
            Event event, Barrier barrier) implements java.io.Serializable {
    }

    /** A copy made by any reducer works on the same shared memory as the original. */
    @ParameterizedTest
    @ValueSource(strings = {"kryo", "java", "jackson"})
    void everyObjectRoundTripsThroughEveryReducerOntoTheSameMemory(String reducerName) throws Exception {
        Reducer reducer = Reducers.byName(reducerName);
        Everything original = new Everything(ctx.lock(), ctx.rlock(), ctx.semaphore(3), ctx.boundedSemaphore(2),
                ctx.condition(ctx.lock()), ctx.event(), ctx.barrier(2, () -> { }, Duration.ofMinutes(1)));

        Everything copy = (Everything) reducer.loads(reducer.dumps(original));

        assertThat(copy).as("handles on the same memory are equal").isEqualTo(original).isNotSameAs(original);
        assertThat(copy.lock()).isNotEqualTo(original.condition().lock()).hasSameHashCodeAs(original.lock());

        copy.lock().acquire();
        assertThat(original.lock().isLocked()).isTrue();
        copy.lock().release();
        copy.rlock().acquire();
        assertThat(original.rlock().isHeldByCurrentThread()).isTrue();
        original.rlock().release();
        copy.semaphore().acquire();
        assertThat(original.semaphore().getValue()).isEqualTo(2);
        assertThat(copy.bounded().bound()).isEqualTo(2);
        copy.condition().acquire();
        assertThat(original.condition().lock().isHeldByCurrentThread()).isTrue();
        copy.condition().release();
        copy.event().set();
        assertThat(original.event().isSet()).isTrue();
        assertThat(copy.barrier().parties()).isEqualTo(2);
        CompletableFuture<Integer> other = Children.inThread(() -> copy.barrier().await());
        assertThat(original.barrier().await(PATIENCE) + other.get(60, java.util.concurrent.TimeUnit.SECONDS))
                .isEqualTo(1);
    }

    /** A barrier carries a condition, an RLock and an action lambda: nested tokens, in a child of each reducer. */
    @ParameterizedTest
    @ValueSource(strings = {"kryo", "java", "jackson"})
    void aBarrierWithAnActionReachesAChildThroughEachReducer(String reducerName) throws Exception {
        BaseContext context = contexts.create("forkserver");
        context.setReducer(reducerName);
        String actions = dir.resolve("actions").toString();
        String out = dir.resolve("out").toString();
        Barrier barrier = context.barrier(2, () -> BarrierTest.append(actions, "action"), null);
        Semaphore semaphore = context.semaphore(0);
        children.start(context, () -> {
            int index = barrier.await(PATIENCE);
            semaphore.release();
            Files.writeString(Path.of(out), index + " " + Multiprocess.getContext().getReducer().name());
        });

        int mine = barrier.await(PATIENCE);
        assertThat(semaphore.acquire(PATIENCE)).isTrue();
        children.joinAllSucceeded();

        assertThat(Files.readString(Path.of(out))).isEqualTo((1 - mine) + " " + reducerName);
        assertThat(Files.readAllLines(Path.of(actions))).containsExactly("action");
    }

    /** Pool tasks run in worker JVMs; the lock and semaphore they capture are the caller's. */
    @Test
    void aLockAndASemaphoreCapturedByPoolTasksWorkInTheWorkers() throws Exception {
        Lock lock = ctx.lock();
        Semaphore one = ctx.boundedSemaphore(1);
        Path counter = dir.resolve("counter");
        Files.writeString(counter, "0");
        String file = counter.toString();
        try (ProcessPool pool = ctx.pool(2)) {
            List<Long> pids = pool.map(task -> {
                for (int i = 0; i < 50; i++) {
                    try (Held held = lock.hold()) {
                        int n = Integer.parseInt(Files.readString(Path.of(file)).trim());
                        Files.writeString(Path.of(file), Integer.toString(n + 1));
                    }
                }
                try (Held permit = one.hold()) {
                    if (one.getValue() != 0) {
                        throw new IllegalStateException("a permit was held twice");
                    }
                }
                return ProcessHandle.current().pid();
            }, IntStream.range(0, 8).boxed().toList(), 1);

            assertThat(pids).doesNotContain(ProcessHandle.current().pid());
        }

        assertThat(Files.readString(counter)).isEqualTo("400");
        assertThat(lock.isLocked()).isFalse();
        assertThat(one.getValue()).isEqualTo(1);
    }
}
