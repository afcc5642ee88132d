package io.multiprocess.managers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.multiprocess.BaseContext;
import io.multiprocess.MpProcess;
import io.multiprocess.Multiprocess;
import io.multiprocess.synchronize.Acquirable;
import io.multiprocess.synchronize.Held;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A manager's rlock and condition, owned by the calling thread, used by threads and real child processes. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ManagerOwnedSyncTest {

    private static final Duration PATIENCE = Duration.ofSeconds(90);

    private final List<MpProcess> children = new ArrayList<>();

    @AfterEach
    void stopChildren() {
        for (MpProcess child : children) {
            if (child.pid() != null && !child.join(Duration.ofSeconds(1))) {
                child.kill();
                child.join();
            }
        }
    }

    private MpProcess run(BaseContext ctx, io.multiprocess.function.SerializableRunnable target) {
        MpProcess child = ctx.process(target);
        children.add(child);
        child.start();
        return child;
    }

    private static void joinedWithExitCodeZero(MpProcess child) {
        assertThat(child.join(PATIENCE)).as("%s ended", child).isTrue();
        assertThat(child.exitCode()).as("exit code of %s", child).isZero();
    }

    private static <T> T inOtherThread(java.util.function.Supplier<T> action) {
        return CompletableFuture.supplyAsync(action, runnable -> new Thread(runnable, "other").start()).join();
    }

    @Test
    void anRLockIsReentrantAndOnlyItsOwnerThreadMayReleaseIt() {
        try (SyncManager manager = Multiprocess.getContext().manager()) {
            Acquirable rlock = manager.rlock();
            rlock.acquire();
            assertThat(rlock.acquire(Duration.ofSeconds(5))).as("re-entered").isTrue();
            assertThat(rlock.tryAcquire()).as("re-entered").isTrue();
            assertThat(inOtherThread(rlock::tryAcquire)).as("held by the main thread").isFalse();
            assertThat(inOtherThread(() -> rlock.acquire(Duration.ofMillis(50)))).isFalse();
            Throwable byOther = inOtherThread(() -> {
                try {
                    rlock.release();
                    return null;
                } catch (RuntimeException e) {
                    return e;
                }
            });
            assertThat(byOther).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("cannot release un-acquired lock")
                    .hasCauseInstanceOf(RemoteException.class);
            rlock.release();
            rlock.release();
            assertThat(inOtherThread(rlock::tryAcquire)).as("still held once").isFalse();
            rlock.release();
            assertThatThrownBy(rlock::release).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("un-acquired");
            assertThat(inOtherThread(() -> {
                boolean got = rlock.tryAcquire();
                rlock.release();
                return got;
            })).as("free for another thread").isTrue();
            try (Held outer = rlock.hold(); Held inner = rlock.hold()) {
                assertThat(inOtherThread(rlock::tryAcquire)).isFalse();
            }
            assertThat(rlock.tryAcquire()).isTrue();
            rlock.release();
        }
    }

    @Test
    void anRLockHeldByAChildIsItsOwnAndIsReleasedWhenTheChildDies() {
        BaseContext ctx = Multiprocess.getContext();
        try (SyncManager manager = ctx.manager()) {
            Acquirable rlock = manager.rlock();
            BlockingQueue<String> said = manager.queue();
            EventProxy go = manager.event();
            MpProcess polite = run(ctx, () -> {
                rlock.acquire();
                rlock.acquire();
                said.add("held");
                go.await();
                rlock.release();
                rlock.release();
                said.add("released");
            });
            assertThat(poll(said)).isEqualTo("held");
            assertThat(rlock.tryAcquire()).as("held by the child").isFalse();
            assertThatThrownBy(rlock::release).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("un-acquired");
            go.set();
            assertThat(poll(said)).isEqualTo("released");
            joinedWithExitCodeZero(polite);
            assertThat(rlock.acquire(PATIENCE)).isTrue();
            rlock.release();

            MpProcess dying = run(ctx, () -> {
                rlock.acquire();
                rlock.acquire();
                said.add("held");
                Runtime.getRuntime().halt(7);
            });
            assertThat(poll(said)).isEqualTo("held");
            assertThat(dying.join(PATIENCE)).isTrue();
            assertThat(dying.exitCode()).isEqualTo(7);
            assertThat(rlock.acquire(PATIENCE)).as("released by the server when the child's connection closed")
                    .isTrue();
            rlock.release();
        }
    }

    private static String poll(BlockingQueue<String> queue) {
        try {
            return queue.poll(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aConditionSignalledByTheParentWakesWaitersInChildren() {
        BaseContext ctx = Multiprocess.getContext();
        try (SyncManager manager = ctx.manager()) {
            ConditionProxy ready = manager.condition();
            ValueProxy<Boolean> flag = manager.value(false);
            ValueProxy<Integer> waiting = manager.value(0);
            BlockingQueue<String> said = manager.queue();
            List<MpProcess> started = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                int n = i;
                started.add(run(ctx, () -> {
                    try (Held held = ready.hold()) {
                        waiting.set(waiting.get() + 1);
                        ready.signalAll();
                        boolean seen = ready.awaitUntil(flag::get, Duration.ofSeconds(60));
                        said.add("child " + n + " saw " + seen);
                    }
                }));
            }
            try (Held held = ready.hold()) {
                assertThat(ready.awaitUntil(() -> waiting.get() == 2, PATIENCE)).as("both children wait").isTrue();
                flag.set(true);
                ready.signal(2);
            }
            List<String> heard = List.of(poll(said), poll(said));
            assertThat(heard).containsExactlyInAnyOrder("child 0 saw true", "child 1 saw true");
            started.forEach(ManagerOwnedSyncTest::joinedWithExitCodeZero);
        }
    }

    @Test
    void aConditionNeedsItsLockHeldAndCanShareAnRLock() {
        try (SyncManager manager = Multiprocess.getContext().manager()) {
            ConditionProxy alone = manager.condition();
            assertThatThrownBy(alone::await).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("cannot wait on un-acquired lock");
            assertThatThrownBy(alone::signal).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("cannot notify on un-acquired lock");
            alone.acquire();
            alone.acquire();
            assertThat(alone.await(Duration.ofMillis(50))).as("nobody signals").isFalse();
            alone.release();
            assertThat(inOtherThread(alone::tryAcquire)).as("still held once after the wait").isFalse();
            alone.release();

            Acquirable rlock = manager.rlock();
            ConditionProxy shared = manager.condition(rlock);
            try (Held held = rlock.hold()) {
                shared.signalAll();
                assertThat(inOtherThread(shared::tryAcquire)).isFalse();
            }
            assertThat(inOtherThread(() -> {
                boolean got = shared.tryAcquire();
                shared.release();
                return got;
            })).isTrue();
            assertThatThrownBy(() -> manager.condition(manager.lock())).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("rlock() of the same manager");
        }
    }
}
