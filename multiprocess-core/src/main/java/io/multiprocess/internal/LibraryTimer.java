package io.multiprocess.internal;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;

/**
 * The library's one timer: task timeouts, kills after a grace period, handshake and connect deadlines, delayed
 * replacements, the timeouts of queue and pipe operations, the resource tracker's sweeps. One daemon thread for the
 * whole JVM, never shut down, so scheduling never fails with {@link java.util.concurrent.RejectedExecutionException}
 * however pools and servers come and go. Actions run on it must be short (a kill, a flag): a slow one delays every
 * other deadline. What may block (completing a future whose callbacks write to a socket or launch a JVM, a sweep of
 * {@code /dev/shm}) is scheduled with {@link #scheduleHandOff} or {@link #expireUnlessDone}, which run it on a
 * library thread of its own when its time comes.
 *
 * <p>An action that throws is logged and the timer goes on; a plain {@code ScheduledExecutorService} would keep
 * the exception in a future nobody reads.
 */
public final class LibraryTimer {

    private static final Logger LOG = MpLogger.INSTANCE;
    private static final ScheduledThreadPoolExecutor TIMER = newTimer();
    /** Where actions that may block run when their time comes; threads are made on demand and end when idle. */
    private static final Executor HAND_OFF = Executors.newCachedThreadPool(
            LibraryThreads.factory("multiprocess-timer-action"));

    private LibraryTimer() {
    }

    private static ScheduledThreadPoolExecutor newTimer() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1,
                LibraryThreads.factory("multiprocess-timer"));
        // Cancelled deadlines (most of them: tasks end before their timeout) leave the queue at once.
        timer.setRemoveOnCancelPolicy(true);
        return timer;
    }

    /** Runs {@code action} once after {@code delay}. */
    public static ScheduledFuture<?> schedule(Runnable action, Duration delay) {
        return schedule(action, delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Runs {@code action} once after {@code delay} {@code unit}s. */
    public static ScheduledFuture<?> schedule(Runnable action, long delay, TimeUnit unit) {
        return TIMER.schedule(() -> runReporting(action), Math.max(0, delay), unit);
    }

    /** Runs {@code action}, which may block, on a library thread once {@code delay} {@code unit}s have passed. */
    public static ScheduledFuture<?> scheduleHandOff(Runnable action, long delay, TimeUnit unit) {
        return schedule(() -> HAND_OFF.execute(() -> runReporting(action)), delay, unit);
    }

    /**
     * Runs {@code expiry} after {@code nanos} unless {@code operation} completes first (a blocking call's timeout);
     * never when {@code nanos} is negative (no timeout). The expiry runs on a library thread, not the timer's:
     * completing a waiting operation may write its reply to a socket.
     */
    public static void expireUnlessDone(long nanos, CompletableFuture<?> operation, Runnable expiry) {
        if (nanos < 0) {
            return;
        }
        ScheduledFuture<?> timer = scheduleHandOff(expiry, nanos, TimeUnit.NANOSECONDS);
        operation.whenComplete((result, error) -> timer.cancel(false));
    }

    /** Runs {@code action} every {@code period} until the returned future is cancelled. */
    public static ScheduledFuture<?> every(Runnable action, Duration period) {
        long nanos = period.toNanos();
        return TIMER.scheduleWithFixedDelay(() -> runReporting(action), nanos, nanos, TimeUnit.NANOSECONDS);
    }

    private static void runReporting(Runnable action) {
        try {
            action.run();
        } catch (Throwable e) {
            LOG.error("a multiprocess timer action failed; the timer goes on", e);
        }
    }
}
