package io.multiprocess.managers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.multiprocess.BaseContext;
import io.multiprocess.MpProcess;
import io.multiprocess.Multiprocess;
import io.multiprocess.synchronize.Acquirable;
import io.multiprocess.synchronize.BarrierBrokenException;
import io.multiprocess.synchronize.Held;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The synchronization objects a manager holds, used by real child processes. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ManagerSyncTest {

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

    @Test
    void incrementsOfAManagerValueUnderAManagerLockFromThreeChildrenAddUp() {
        BaseContext ctx = Multiprocess.getContext();
        try (SyncManager manager = ctx.manager()) {
            Acquirable lock = manager.lock();
            ValueProxy<Integer> total = manager.value(0);
            List<MpProcess> started = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                started.add(run(ctx, () -> {
                    for (int n = 0; n < 50; n++) {
                        try (Held held = lock.hold()) {
                            total.set(total.get() + 1);
                        }
                    }
                }));
            }
            started.forEach(ManagerSyncTest::joinedWithExitCodeZero);
            assertThat(total.get()).isEqualTo(150);
            assertThat(lock.tryAcquire()).isTrue();
            assertThat(lock.acquire(Duration.ofMillis(50))).as("held").isFalse();
            lock.release();
            assertThatThrownBy(lock::release).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("unlocked lock");
            assertThat(total.compareAndSet(150, 7)).isTrue();
            assertThat(total.compareAndSet(150, 8)).isFalse();
            assertThat(total.getAndSet(9)).isEqualTo(7);
        }
    }

    @Test
    void anEventSetByAChildWakesTheParentAndABarrierLetsThreePartiesThrough() {
        BaseContext ctx = Multiprocess.getContext();
        try (SyncManager manager = ctx.manager()) {
            EventProxy ready = manager.event();
            BarrierProxy barrier = manager.barrier(3);
            assertThat(ready.await(Duration.ofMillis(20))).isFalse();
            List<MpProcess> started = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                started.add(run(ctx, () -> {
                    barrier.await(Duration.ofSeconds(60));
                    ready.set();
                }));
            }
            int index = barrier.await(Duration.ofSeconds(60));
            assertThat(index).isBetween(0, 2);
            assertThat(ready.await(Duration.ofSeconds(60))).isTrue();
            assertThat(ready.isSet()).isTrue();
            started.forEach(ManagerSyncTest::joinedWithExitCodeZero);
            assertThat(barrier.parties()).isEqualTo(3);
            assertThatThrownBy(() -> barrier.await(Duration.ofMillis(20)))
                    .isInstanceOf(BarrierBrokenException.class).hasMessageContaining("timed out");
            assertThat(barrier.isBroken()).isTrue();
            barrier.reset();
            assertThat(barrier.isBroken()).isFalse();
        }
    }

    @Test
    void aBoundedSemaphoreRefusesAReleaseAboveItsValue() {
        try (SyncManager manager = Multiprocess.getContext().manager()) {
            Acquirable slots = manager.boundedSemaphore(2);
            assertThat(slots.tryAcquire()).isTrue();
            assertThat(slots.tryAcquire()).isTrue();
            assertThat(slots.tryAcquire()).isFalse();
            slots.release();
            slots.release();
            assertThatThrownBy(slots::release).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("bounded semaphore");
            Acquirable plain = manager.semaphore(0);
            plain.release();
            plain.release();
            assertThat(plain.tryAcquire()).isTrue();
            assertThat(plain.tryAcquire()).isTrue();
            assertThat(plain.tryAcquire()).isFalse();
        }
    }

    @Test
    void shuttingDownAnInProcessServerEndsCallsWaitingInIt() throws Exception {
        SyncManager manager = SyncManager.builder().startInProcess(Multiprocess.getContext());
        java.util.concurrent.BlockingQueue<String> queue = manager.queue();
        MpProcess child = run(Multiprocess.getContext(), () -> {
            try {
                queue.take();
            } catch (RuntimeException e) {
                System.exit(3);
            }
        });
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (Thread.getAllStackTraces().keySet().stream().noneMatch(t -> t.getName()
                .startsWith("multiprocess-manager-")
                && java.util.Arrays.stream(t.getStackTrace()).anyMatch(f -> f.getMethodName().equals("take")))) {
            assertThat(System.nanoTime()).as("the child's take() reached the server").isLessThan(deadline);
            Thread.sleep(20);
        }
        manager.shutdown();
        assertThat(child.join(PATIENCE)).isTrue();
        assertThat(child.exitCode()).as("the child's take() failed").isEqualTo(3);
        Thread.sleep(200);
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.isAlive()
                && t.getName().startsWith("multiprocess-manager-") && !t.getName().contains("accept")
                && java.util.Arrays.stream(t.getStackTrace()).anyMatch(f -> f.getMethodName().equals("take")));
    }
}
