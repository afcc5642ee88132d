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
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Semaphore and BoundedSemaphore across child JVMs. */
class SemaphoreTest {

    @TempDir
    Path dir;

    @RegisterExtension
    final Children children = new Children();

    private final BaseContext ctx = Multiprocess.getContext();

    @Test
    void permitsAreCountedAndReleaseMayExceedTheInitialValue() {
        Semaphore semaphore = ctx.semaphore(2);
        assertThat(semaphore.getValue()).isEqualTo(2);
        assertThat(semaphore.tryAcquire()).isTrue();
        semaphore.acquire();
        assertThat(semaphore.getValue()).isZero();
        assertThat(semaphore.tryAcquire()).isFalse();
        long started = System.nanoTime();
        assertThat(semaphore.acquire(Duration.ofMillis(200))).isFalse();
        assertThat(System.nanoTime() - started).isGreaterThanOrEqualTo(Duration.ofMillis(200).toNanos());

        semaphore.release();
        semaphore.release();
        semaphore.release();

        assertThat(semaphore.getValue()).isEqualTo(3);
        assertThatThrownBy(() -> ctx.semaphore(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aBoundedSemaphoreRefusesToBeReleasedAboveItsInitialValue() {
        BoundedSemaphore semaphore = ctx.boundedSemaphore(2);
        assertThatThrownBy(semaphore::release).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("released too many times");
        semaphore.acquire();
        semaphore.release();

        assertThatThrownBy(semaphore::release).isInstanceOf(IllegalStateException.class);
        assertThat(semaphore.getValue()).isEqualTo(2);
        assertThat(semaphore.bound()).isEqualTo(2);
    }

    @Test
    void aPermitReleasedInOneProcessLetsAWaiterInAnotherGo() {
        Semaphore items = ctx.semaphore(0);
        String out = dir.resolve("out").toString();
        children.start(() -> {
            boolean got = items.acquire(PATIENCE);
            Files.writeString(Path.of(out), Boolean.toString(got));
        });

        items.release();
        children.joinAllSucceeded();

        assertThat(Path.of(out)).hasContent("true");
        assertThat(items.getValue()).isZero();
    }

    /** Two permits, four processes of three threads: never more than two inside at once. */
    @Test
    void noMoreThanItsValueHoldersAtOnceAcrossProcessesAndThreads() throws Exception {
        Semaphore slots = ctx.boundedSemaphore(2);
        SharedMemory shared = SharedMemory.create(null, 64);
        String name = shared.name();
        try {
            for (int p = 0; p < 4; p++) {
                children.start(() -> enterInThreads(slots, name, 3, 200));
            }
            children.joinAllSucceeded();

            AtomicView words = AtomicView.of(shared);
            assertThat(words.getLong(0)).as("inside now").isZero();
            assertThat(words.getLong(8)).as("most inside at once").isBetween(1L, 2L);
            assertThat(words.getLong(16)).as("entries").isEqualTo(4 * 3 * 200);
            assertThat(slots.getValue()).isEqualTo(2);
        } finally {
            shared.close();
            shared.unlink();
        }
    }

    static void enterInThreads(Semaphore slots, String name, int threads, int times) throws InterruptedException {
        AtomicView words = AtomicView.of(SharedMemory.attach(name));
        List<Thread> started = new java.util.ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread thread = new Thread(() -> {
                for (int i = 0; i < times; i++) {
                    try (Held permit = slots.hold()) {
                        long inside = words.getAndAddLong(0, 1) + 1;
                        long most = words.getLong(8);
                        while (inside > most && !words.compareAndSetLong(8, most, inside)) {
                            most = words.getLong(8);
                        }
                        words.getAndAddLong(16, 1);
                        Thread.yield();
                        words.getAndAddLong(0, -1);
                    }
                }
            });
            thread.start();
            started.add(thread);
        }
        for (Thread thread : started) {
            thread.join();
        }
    }

    /**
     * A process SIGKILLed holding both permits: the waiters get OwnerDiedException naming it, the permits come
     * back, and the waiters then acquire normally.
     */
    @Test
    void permitsOfAKilledHolderComeBackAndWaitersAreTold() throws Exception {
        Semaphore semaphore = ctx.semaphore(2);
        Event held = ctx.event();
        MpProcess holder = children.start(() -> {
            semaphore.acquire();
            semaphore.acquire();
            held.set();
            Thread.sleep(PATIENCE.toMillis() * 2);
        });
        assertThat(held.await(PATIENCE)).isTrue();
        List<String> first = new CopyOnWriteArrayList<>();
        List<String> second = new CopyOnWriteArrayList<>();
        Thread waiter1 = Children.startWaiting(() -> waitThroughADeath(semaphore, first));
        Thread waiter2 = Children.startWaiting(() -> waitThroughADeath(semaphore, second));

        holder.kill();
        waiter1.join(PATIENCE.toMillis());
        waiter2.join(PATIENCE.toMillis());
        children.joinAllSucceededExcept(holder);

        String died = "OwnerDiedException(" + holder.pid() + ")";
        assertThat(first).containsExactly(died, "acquired");
        assertThat(second).containsExactly(died, "acquired");
        assertThat(semaphore.getValue()).isEqualTo(2);
    }

    static void waitThroughADeath(Semaphore semaphore, List<String> outcome) {
        try {
            semaphore.acquire();
            outcome.add("acquired without a death");
            semaphore.release();
            return;
        } catch (OwnerDiedException e) {
            outcome.add("OwnerDiedException(" + e.deadPid() + ")");
        }
        semaphore.acquire();
        outcome.add("acquired");
        semaphore.release();
    }

    /**
     * Used as a counter of events (released by one process, acquired by another), a semaphore cannot tell who
     * holds what: a consumer that dies does not give back what it consumed.
     */
    @Test
    void aSemaphoreUsedToCountEventsDoesNotGiveBackAConsumersPermits() throws Exception {
        Semaphore items = ctx.semaphore(0);
        items.release();
        items.release();
        Event consumed = ctx.event();
        MpProcess consumer = children.start(() -> {
            items.acquire();
            items.acquire();
            consumed.set();
            Thread.sleep(PATIENCE.toMillis() * 2);
        });
        assertThat(consumed.await(PATIENCE)).isTrue();
        consumer.kill();
        consumer.join(PATIENCE);

        assertThat(items.acquire(Duration.ofMillis(100))).isFalse();
        assertThat(items.getValue()).isZero();
    }

    @Test
    void aBoundedSemaphoreReleasedByAnotherProcessStillRefusesTooMany() throws Exception {
        BoundedSemaphore semaphore = ctx.boundedSemaphore(1);
        semaphore.acquire();
        String out = dir.resolve("out").toString();
        children.start(() -> {
            semaphore.release();
            String second;
            try {
                semaphore.release();
                second = "released twice";
            } catch (IllegalStateException e) {
                second = "refused";
            }
            Files.writeString(Path.of(out), second);
        });
        children.joinAllSucceeded();

        assertThat(Path.of(out)).hasContent("refused");
        assertThat(semaphore.getValue()).isEqualTo(1);
    }

    /** The holder table's 64 slots, filled here by hand with another live process (this JVM's parent). */
    @Test
    void aFullHolderTableTakesOverSlotsOfProcessesHoldingNothingElseStopsTracking() {
        long other = ProcessHandle.current().parent().orElseThrow().pid();
        Semaphore semaphore = ctx.semaphore(2);
        AtomicView words = semaphore.words;
        for (int i = 0; i < Semaphore.SLOTS; i++) {
            words.setLong(Semaphore.SLOTS_START + 16 * i, other << 32);
        }

        semaphore.acquire();
        assertThat(words.getLong(Semaphore.UNTRACKED)).as("untracked after taking over an idle slot").isZero();
        assertThat(words.getLong(Semaphore.SLOTS_START)).isEqualTo(ProcessHandle.current().pid() << 32 | 1);
        semaphore.release();

        for (int i = 0; i < Semaphore.SLOTS; i++) {
            words.setLong(Semaphore.SLOTS_START + 16 * i, other << 32 | 1);
        }
        semaphore.acquire();
        assertThat(words.getLong(Semaphore.UNTRACKED)).as("untracked with every slot holding permits").isOne();
        semaphore.release();
        assertThat(semaphore.getValue()).isEqualTo(2);
    }
}
