package io.multiprocess.synchronize;

import static io.multiprocess.synchronize.Children.PATIENCE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.multiprocess.BaseContext;
import io.multiprocess.MpProcess;
import io.multiprocess.Multiprocess;
import io.multiprocess.sharedmemory.SharedMemory;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Lock and RLock across child JVMs: Python's behaviours, mutual exclusion, and a holder that is killed. */
class LockTest {

    @TempDir
    Path dir;

    @RegisterExtension
    final Children children = new Children();

    private final BaseContext ctx = Multiprocess.getContext();

    private Mutex newMutex(String kind) {
        return kind.equals("lock") ? ctx.lock() : ctx.rlock();
    }

    @ParameterizedTest
    @ValueSource(strings = {"lock", "rlock"})
    void acquireWithATimeoutReturnsFalseOnTimeWhileAnotherProcessHoldsIt(String kind) {
        Mutex lock = newMutex(kind);
        Event held = ctx.event();
        Event done = ctx.event();
        children.start(() -> {
            lock.acquire();
            held.set();
            done.await(PATIENCE);
            lock.release();
        });
        assertThat(held.await(PATIENCE)).isTrue();

        assertThat(lock.isLocked()).isTrue();
        assertThat(lock.isHeldByCurrentThread()).isFalse();
        assertThat(lock.tryAcquire()).isFalse();
        assertThat(lock.acquire(Duration.ZERO)).isFalse();
        long started = System.nanoTime();
        assertThat(lock.acquire(Duration.ofMillis(300))).isFalse();
        assertThat(System.nanoTime() - started).isGreaterThanOrEqualTo(Duration.ofMillis(300).toNanos());

        done.set();
        assertThat(lock.acquire(PATIENCE)).isTrue();
        assertThat(lock.isHeldByCurrentThread()).isTrue();
        lock.release();
        assertThat(lock.isLocked()).isFalse();
        children.joinAllSucceeded();
    }

    @Test
    void releasingAnUnlockedLockFailsAsReleasedTooManyTimes() {
        Lock lock = ctx.lock();
        lock.acquire();
        lock.release();

        assertThatThrownBy(lock::release).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("released too many times");
    }

    @Test
    void aLockIsNotReentrantAndAnyProcessMayReleaseIt() {
        Lock lock = ctx.lock();
        lock.acquire();
        assertThat(lock.acquire(Duration.ofMillis(50))).as("a second acquire by the holder").isFalse();

        children.start(lock::release);
        children.joinAllSucceeded();

        assertThat(lock.isLocked()).isFalse();
        assertThat(lock.tryAcquire()).isTrue();
        lock.release();
    }

    @Test
    void holdReleasesAtTheEndOfTheBlockOnce() {
        Lock lock = ctx.lock();
        try (Held held = lock.hold()) {
            assertThat(lock.isHeldByCurrentThread()).isTrue();
            held.close();
            assertThat(lock.isLocked()).isFalse();
        }
        assertThat(lock.isLocked()).isFalse();
    }

    /** The check: each critical section reads, increments and rewrites a number in a file. */
    @ParameterizedTest
    @ValueSource(strings = {"lock", "rlock"})
    void fourProcessesTimesAThousandCriticalSectionsOnAFileEndAtExactly4000(String kind) throws Exception {
        Mutex lock = newMutex(kind);
        Path counter = dir.resolve("counter");
        Files.writeString(counter, "0");
        String file = counter.toString();
        for (int p = 0; p < 4; p++) {
            children.start(() -> {
                for (int i = 0; i < 1_000; i++) {
                    lock.acquire();
                    try {
                        int n = Integer.parseInt(Files.readString(Path.of(file)).trim());
                        Files.writeString(Path.of(file), Integer.toString(n + 1));
                    } finally {
                        lock.release();
                    }
                }
            });
        }
        children.joinAllSucceeded();

        assertThat(Files.readString(counter)).isEqualTo("4000");
    }

    @ParameterizedTest
    @ValueSource(strings = {"lock", "rlock"})
    void severalThreadsInEachOfSeveralProcessesExcludeEachOther(String kind) throws Exception {
        Mutex lock = newMutex(kind);
        SharedMemory shared = SharedMemory.create(null, 64);
        String name = shared.name();
        try {
            for (int p = 0; p < 3; p++) {
                children.start(() -> incrementInThreads(lock, name, 3, 500));
            }
            incrementInThreads(lock, name, 2, 500);
            children.joinAllSucceeded();

            ByteBuffer words = shared.buffer();
            assertThat(words.getLong(0)).isEqualTo(3 * 3 * 500 + 2 * 500);
            assertThat(words.getLong(8)).as("critical sections that found another inside").isZero();
        } finally {
            shared.close();
            shared.unlink();
        }
    }

    /**
     * {@code threads} threads each enter {@code times} critical sections that increment a plain (non-atomic) long at
     * offset 0 of segment {@code name}, and count at offset 8 every time one found another section in progress.
     */
    static void incrementInThreads(Acquirable lock, String name, int threads, int times) throws InterruptedException {
        SharedMemory shared = SharedMemory.attach(name);
        ByteBuffer words = shared.buffer();
        List<Thread> started = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread thread = new Thread(() -> {
                for (int i = 0; i < times; i++) {
                    try (Held held = lock.hold()) {
                        if (words.getInt(16) != 0) {
                            words.putLong(8, words.getLong(8) + 1);
                        }
                        words.putInt(16, 1);
                        long value = words.getLong(0);
                        Thread.yield();
                        words.putLong(0, value + 1);
                        words.putInt(16, 0);
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
     * A holder SIGKILLed while it holds the lock: the threads that were waiting (two here, one in a child) get
     * OwnerDiedException naming it, without the lock; then they acquire normally, and so does a new caller.
     */
    @ParameterizedTest
    @ValueSource(strings = {"lock", "rlock"})
    void anOwnerKilledWhileHoldingTheLockDoesNotDeadlockTheOthers(String kind) throws Exception {
        Mutex lock = newMutex(kind);
        Event held = ctx.event();
        MpProcess holder = children.start(() -> {
            lock.acquire();
            held.set();
            Thread.sleep(PATIENCE.toMillis() * 2);
        });
        assertThat(held.await(PATIENCE)).isTrue();
        String childResult = dir.resolve("child-waiter").toString();
        Event childWaiting = ctx.event();
        children.start(() -> {
            List<String> outcome = new CopyOnWriteArrayList<>();
            Thread waiter = new Thread(() -> waitThroughADeath(lock, outcome));
            waiter.start();
            Children.awaitWaiting(waiter);
            childWaiting.set();
            waiter.join();
            Files.writeString(Path.of(childResult), String.join(",", outcome));
        });
        List<String> first = new CopyOnWriteArrayList<>();
        List<String> second = new CopyOnWriteArrayList<>();
        Thread waiter1 = Children.startWaiting(() -> waitThroughADeath(lock, first));
        Thread waiter2 = Children.startWaiting(() -> waitThroughADeath(lock, second));
        assertThat(childWaiting.await(PATIENCE)).isTrue();

        holder.kill();
        waiter1.join(PATIENCE.toMillis());
        waiter2.join(PATIENCE.toMillis());
        children.joinAllSucceededExcept(holder);

        String died = "OwnerDiedException(" + holder.pid() + "),held=false";
        assertThat(first).containsExactly(died, "acquired");
        assertThat(second).containsExactly(died, "acquired");
        assertThat(Files.readString(Path.of(childResult))).isEqualTo(died + ",acquired");
        assertThat(lock.isLocked()).isFalse();
        assertThat(lock.tryAcquire()).as("a new caller acquires normally").isTrue();
        lock.release();
    }

    static void waitThroughADeath(Mutex lock, List<String> outcome) {
        try {
            lock.acquire();
            outcome.add("acquired without a death");
            lock.release();
            return;
        } catch (OwnerDiedException e) {
            outcome.add("OwnerDiedException(" + e.deadPid() + "),held=" + lock.isHeldByCurrentThread());
        }
        lock.acquire();
        outcome.add("acquired");
        lock.release();
    }

    @Test
    void aDeadHolderIsFoundByTryAcquireToo() {
        Lock lock = ctx.lock();
        MpProcess holder = children.start(() -> {
            lock.acquire();
            System.exit(3);
        });
        assertThat(holder.join(PATIENCE)).isTrue();

        assertThatThrownBy(lock::tryAcquire).isInstanceOf(OwnerDiedException.class)
                .hasMessageContaining("process " + holder.pid() + " died holding")
                .hasMessageContaining("did not acquire it");
        assertThat(lock.isLocked()).isFalse();
        assertThat(lock.tryAcquire()).isTrue();
        lock.release();
    }

    @Test
    void anInterruptedWaiterGivesUpWithTheFlagStillSet() throws Exception {
        Lock lock = ctx.lock();
        lock.acquire();
        List<Object> outcome = new CopyOnWriteArrayList<>();
        Thread waiter = Children.startWaiting(() -> {
            try {
                lock.acquire();
                outcome.add("acquired");
            } catch (RuntimeException e) {
                outcome.add(e.getClass().getSimpleName());
                outcome.add(Thread.currentThread().isInterrupted());
            }
        });
        waiter.interrupt();
        waiter.join(PATIENCE.toMillis());

        assertThat(outcome).containsExactly("MultiprocessException", true);
        lock.release();
    }
}
