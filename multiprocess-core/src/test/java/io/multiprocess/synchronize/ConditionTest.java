package io.multiprocess.synchronize;

import static io.multiprocess.synchronize.Children.PATIENCE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.multiprocess.BaseContext;
import io.multiprocess.MpProcess;
import io.multiprocess.Multiprocess;
import io.multiprocess.sharedmemory.AtomicView;
import io.multiprocess.sharedmemory.SharedMemory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Condition across child JVMs: await/signal, signal(n), signalAll, awaitUntil, timeouts, dead waiters. */
class ConditionTest {

    @TempDir
    Path dir;

    @RegisterExtension
    final Children children = new Children();

    private final BaseContext ctx = Multiprocess.getContext();

    @Test
    void awaitAndSignalNeedTheLock() {
        Condition condition = ctx.condition();

        assertThatThrownBy(condition::await).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("without holding its lock");
        assertThatThrownBy(condition::signal).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(condition::signalAll).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> condition.awaitUntil(() -> true)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aTimedAwaitReturnsFalseOnTimeHoldingTheLockAsDeepAsBefore() {
        Condition condition = ctx.condition();
        RLock lock = (RLock) condition.lock();
        lock.acquire();
        lock.acquire();

        long started = System.nanoTime();
        boolean signalled = condition.await(Duration.ofMillis(200));

        assertThat(signalled).isFalse();
        assertThat(System.nanoTime() - started).isGreaterThanOrEqualTo(Duration.ofMillis(200).toNanos());
        assertThat(lock.holdCount()).isEqualTo(2);
        lock.release();
        lock.release();
    }

    @Test
    void aSignalWakesAWaiterInAnotherProcessWhichHoldsTheLockAgain() throws Exception {
        Condition condition = ctx.condition();
        Event waiting = ctx.event();
        String out = dir.resolve("out").toString();
        children.start(() -> {
            try (Held held = condition.hold()) {
                waiting.set();
                boolean signalled = condition.await(PATIENCE);
                Files.writeString(Path.of(out), signalled + " " + condition.lock().isHeldByCurrentThread());
            }
        });
        assertThat(waiting.await(PATIENCE)).isTrue();

        try (Held held = condition.hold()) {   // the child released the lock in await: it is waiting
            condition.signal();
        }
        children.joinAllSucceeded();

        assertThat(Path.of(out)).hasContent("true true");
    }

    @Test
    void signalOfNWakesExactlyNWaitersAndSignalAllTheRest() throws Exception {
        Condition condition = ctx.condition();
        List<Path> outs = startWaitingChildren(condition, 4);

        try (Held held = condition.hold()) {
            condition.signal(2);
        }
        awaitCount(outs, 2);
        Children.sleep(300);
        assertThat(count(outs)).as("woken after signal(2)").isEqualTo(2);

        try (Held held = condition.hold()) {
            condition.signalAll();
        }
        children.joinAllSucceeded();
        assertThat(count(outs)).isEqualTo(4);
    }

    /** Starts {@code n} children that each wait on {@code condition}; returns once all of them wait. */
    private List<Path> startWaitingChildren(Condition condition, int n) {
        Semaphore registered = ctx.semaphore(0);
        List<Path> outs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Path out = dir.resolve("woken-" + i);
            outs.add(out);
            String file = out.toString();
            children.start(() -> {
                try (Held held = condition.hold()) {
                    registered.release();
                    if (condition.await(PATIENCE)) {
                        Files.writeString(Path.of(file), "woken");
                    }
                }
            });
        }
        for (int i = 0; i < n; i++) {
            assertThat(registered.acquire(PATIENCE)).isTrue();
        }
        // Each child released the condition's lock only once it had taken its slot: holding it, all of them wait.
        condition.acquire();
        condition.release();
        return outs;
    }

    private static long count(List<Path> outs) {
        return outs.stream().filter(Files::exists).count();
    }

    private static void awaitCount(List<Path> outs, int n) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (count(outs) < n && System.nanoTime() < deadline) {
            Children.sleep(10);
        }
        assertThat(count(outs)).isGreaterThanOrEqualTo(n);
    }

    @Test
    void awaitUntilWaitsForAPredicateOnSharedStateChangedByAnotherProcess() throws Exception {
        Condition condition = ctx.condition(ctx.lock());
        SharedMemory shared = SharedMemory.create(null, 8);
        String name = shared.name();
        AtomicView value = AtomicView.of(shared);
        try {
            children.start(() -> {
                AtomicView words = AtomicView.of(SharedMemory.attach(name));
                for (int i = 1; i <= 5; i++) {
                    try (Held held = condition.hold()) {
                        words.setLong(0, i);
                        condition.signalAll();
                    }
                    Thread.sleep(20);
                }
            });
            try (Held held = condition.hold()) {
                assertThat(condition.awaitUntil(() -> value.getLong(0) == 5, PATIENCE)).isTrue();
                assertThat(condition.awaitUntil(() -> value.getLong(0) == 6, Duration.ofMillis(200))).isFalse();
                assertThat(condition.awaitUntil(() -> value.getLong(0) == 5)).isTrue();
            }
            children.joinAllSucceeded();
        } finally {
            shared.close();
            shared.unlink();
        }
    }

    @Test
    void waitersAreSignalledInTheOrderTheyBeganToWait() throws Exception {
        Condition condition = ctx.condition();
        List<Integer> order = new CopyOnWriteArrayList<>();
        List<Thread> waiters = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            int id = i;
            Thread waiter = new Thread(() -> {
                try (Held held = condition.hold()) {
                    condition.await(PATIENCE);
                    order.add(id);
                }
            });
            waiter.start();
            Children.awaitWaiting(waiter);
            waiters.add(waiter);
        }
        for (int i = 0; i < 3; i++) {
            int expected = i + 1;
            try (Held held = condition.hold()) {
                condition.signal();
            }
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            while (order.size() < expected && System.nanoTime() < deadline) {
                Children.sleep(5);
            }
        }
        for (Thread waiter : waiters) {
            waiter.join(PATIENCE.toMillis());
        }

        assertThat(order).containsExactly(0, 1, 2);
    }

    @Test
    void aWaiterThatTimedOutDoesNotTakeTheNextSignal() throws Exception {
        Condition condition = ctx.condition();
        List<Boolean> results = new CopyOnWriteArrayList<>();
        Thread early = new Thread(() -> {
            try (Held held = condition.hold()) {
                results.add(condition.await(Duration.ofMillis(100)));
            }
        });
        early.start();
        early.join(PATIENCE.toMillis());
        Thread late = Children.startWaiting(() -> {
            try (Held held = condition.hold()) {
                results.add(condition.await(PATIENCE));
            }
        });

        try (Held held = condition.hold()) {
            condition.signal();
        }
        late.join(PATIENCE.toMillis());

        assertThat(results).containsExactly(false, true);
    }

    @Test
    void aWaiterWhoseProcessDiedIsSkipped() throws Exception {
        Condition condition = ctx.condition();
        Event waiting = ctx.event();
        MpProcess dead = children.start(() -> {
            try (Held held = condition.hold()) {
                waiting.set();
                condition.await(PATIENCE.multipliedBy(2));
            }
        });
        assertThat(waiting.await(PATIENCE)).isTrue();
        condition.acquire();     // the child waits: it released the lock
        condition.release();
        dead.kill();
        dead.join(PATIENCE);
        List<Boolean> results = new CopyOnWriteArrayList<>();
        Thread live = Children.startWaiting(() -> {
            try (Held held = condition.hold()) {
                results.add(condition.await(PATIENCE));
            }
        });

        try (Held held = condition.hold()) {
            condition.signal();   // the dead child waited longer, but cannot take it
        }
        live.join(PATIENCE.toMillis());

        assertThat(results).containsExactly(true);
    }

    @Test
    void anInterruptedWaiterHoldsTheLockAgainAndKeepsTheFlag() throws Exception {
        Condition condition = ctx.condition();
        List<Object> outcome = new CopyOnWriteArrayList<>();
        Thread waiter = Children.startWaiting(() -> {
            try (Held held = condition.hold()) {
                try {
                    condition.await();
                    outcome.add("returned");
                } catch (RuntimeException e) {
                    outcome.add(e.getClass().getSimpleName());
                }
                outcome.add(condition.lock().isHeldByCurrentThread());
                outcome.add(Thread.currentThread().isInterrupted());
            }
        });

        waiter.interrupt();
        waiter.join(PATIENCE.toMillis());

        assertThat(outcome).containsExactly("MultiprocessException", true, true);
    }
}
