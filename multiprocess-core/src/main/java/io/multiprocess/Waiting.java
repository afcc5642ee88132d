package io.multiprocess;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Bounded waits, as Python's {@code join(timeout)} and {@code wait(timeout)} do them. */
final class Waiting {

    private Waiting() {
    }

    /**
     * Waits at most {@code timeout} (zero or negative: not at all) for {@code future} to complete, normally or not.
     * An interrupt ends the wait early and stays set on the thread.
     *
     * @return whether it completed
     */
    static boolean completesWithin(CompletableFuture<?> future, Duration timeout) {
        try {
            future.get(Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | java.util.concurrent.CancellationException e) {
            // Completed, unsuccessfully: that is still done.
        }
        return future.isDone();
    }
}
