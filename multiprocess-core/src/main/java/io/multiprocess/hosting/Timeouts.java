package io.multiprocess.hosting;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/** One timer thread for every timeout of queues and pipes in this JVM. */
final class Timeouts {

    private static final ScheduledThreadPoolExecutor TIMER = newTimer();

    private Timeouts() {
    }

    /** Runs {@code expiry} after {@code nanos} (never if negative) unless {@code operation} completes first. */
    static void schedule(long nanos, CompletableFuture<?> operation, Runnable expiry) {
        if (nanos < 0) {
            return;
        }
        ScheduledFuture<?> timer = TIMER.schedule(expiry, nanos, TimeUnit.NANOSECONDS);
        operation.whenComplete((result, error) -> timer.cancel(false));
    }

    static ScheduledFuture<?> schedule(long seconds, Runnable action) {
        return TIMER.schedule(action, seconds, TimeUnit.SECONDS);
    }

    private static ScheduledThreadPoolExecutor newTimer() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "multiprocess-mailbox-timeouts");
            thread.setDaemon(true);
            return thread;
        });
        timer.setRemoveOnCancelPolicy(true);
        return timer;
    }
}
