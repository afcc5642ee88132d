package io.multiprocess.synchronize;

import static org.assertj.core.api.Assertions.assertThat;

import io.multiprocess.BaseContext;
import io.multiprocess.MpProcess;
import io.multiprocess.Multiprocess;
import io.multiprocess.function.SerializableRunnable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Child processes of one test, killed after it if still running (a failed test must not leave a child waiting on a
 * lock). Use as {@code @RegisterExtension final Children children = new Children();}.
 */
final class Children implements AfterEachCallback {

    /** How long anything that should happen may take on a loaded machine. */
    static final Duration PATIENCE = Duration.ofSeconds(60);

    private final List<MpProcess> started = new ArrayList<>();

    /** Starts {@code target} in a child of the default context. */
    MpProcess start(SerializableRunnable target) {
        return start(Multiprocess.getContext(), target);
    }

    MpProcess start(BaseContext context, SerializableRunnable target) {
        MpProcess process = context.process(target);
        process.start();
        started.add(process);
        return process;
    }

    /** Joins every child started so far and checks each exited 0, except those named (say, one it killed). */
    void joinAllSucceededExcept(MpProcess... killed) {
        List<MpProcess> skipped = List.of(killed);
        for (MpProcess process : started) {
            if (skipped.contains(process)) {
                assertThat(process.join(PATIENCE)).as("%s ended", process).isTrue();
                continue;
            }
            assertThat(process.join(PATIENCE)).as("%s ended", process).isTrue();
            assertThat(process.exitCode()).as("exit code of %s", process).isZero();
        }
    }

    /** Joins every child started so far and checks each exited 0. */
    void joinAllSucceeded() {
        joinAllSucceededExcept();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        for (MpProcess process : started) {
            if (process.isAlive()) {
                process.kill();
            }
        }
        for (MpProcess process : started) {
            process.join(PATIENCE);
        }
        started.clear();
    }

    /** Waits until {@code thread} is parked by a {@link Backoff}: it is waiting inside a lock, semaphore or event. */
    static void awaitWaiting(Thread thread) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!(LockSupport.getBlocker(thread) instanceof Backoff)) {
            assertThat(thread.isAlive()).as("%s is still alive", thread.getName()).isTrue();
            assertThat(System.nanoTime() - deadline).as("%s began to wait", thread.getName()).isNegative();
            sleep(1);
        }
    }

    /**
     * Runs {@code work} in a new thread of its own. Not {@code CompletableFuture.supplyAsync}: on a two-CPU machine
     * its pool may have a single thread (JDK 25), and two parties blocking there would wait for each other.
     */
    static <T> CompletableFuture<T> inThread(Supplier<T> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                result.complete(work.get());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        }, "party");
        thread.start();
        return result;
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Starts a thread that waits inside {@code acquire}, and returns once it is waiting. */
    static Thread startWaiting(Runnable acquire) {
        Thread thread = new Thread(acquire, "waiter");
        thread.start();
        awaitWaiting(thread);
        return thread;
    }
}
