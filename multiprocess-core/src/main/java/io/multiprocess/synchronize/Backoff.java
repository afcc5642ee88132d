package io.multiprocess.synchronize;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * How every waiter in this package waits for a word in shared memory to change: there is no futex to sleep on from
 * Java 17, so it polls. It spins briefly ({@link Thread#onSpinWait()}), then yields, then parks for a time that
 * doubles from 10 µs up to a cap of 1 ms. A change made by another process is therefore seen within about 1 ms
 * however long the wait has been; a waiter blocked for long wakes about 1,000 times a second, a few µs of CPU each.
 *
 * <p>It also paces the check for dead holders: {@link #livenessCheckDue()} says yes every 10 ms of waiting, never
 * on the first pass, so uncontended and briefly contended calls never look at other processes.
 *
 * <p>One instance per waiting call; not thread-safe.
 */
final class Backoff {

    private static final int SPINS = 32;
    private static final int YIELDS = 8;
    private static final long FIRST_PARK_NANOS = 10_000;
    static final long MAX_PARK_NANOS = 1_000_000;
    static final long LIVENESS_CHECK_NANOS = 10_000_000;

    private int rounds;
    private long parkNanos = FIRST_PARK_NANOS;
    private long nextLivenessCheck;
    private boolean livenessClockStarted;

    /** Waits a little; a timed wait never parks past {@code deadline} (a {@link System#nanoTime()} value). */
    void pause(boolean timed, long deadline) {
        if (rounds < SPINS) {
            rounds++;
            Thread.onSpinWait();
            return;
        }
        if (rounds < SPINS + YIELDS) {
            rounds++;
            Thread.yield();
            return;
        }
        long nanos = parkNanos;
        if (timed) {
            nanos = Math.min(nanos, deadline - System.nanoTime());
        }
        if (nanos > 0) {
            LockSupport.parkNanos(this, nanos);
        }
        parkNanos = Math.min(parkNanos * 2, MAX_PARK_NANOS);
    }

    /** True once per 10 ms of waiting, counted from the first call. */
    boolean livenessCheckDue() {
        long now = System.nanoTime();
        if (!livenessClockStarted) {
            livenessClockStarted = true;
            nextLivenessCheck = now + LIVENESS_CHECK_NANOS;
            return false;
        }
        if (now - nextLivenessCheck >= 0) {
            nextLivenessCheck = now + LIVENESS_CHECK_NANOS;
            return true;
        }
        return false;
    }

    /** The {@link System#nanoTime()} at which a wait of {@code timeout} from now ends (saturating). */
    static long deadline(Duration timeout) {
        long nanos;
        try {
            nanos = timeout.toNanos();
        } catch (ArithmeticException e) {
            nanos = Long.MAX_VALUE / 2;
        }
        return System.nanoTime() + Math.min(nanos, Long.MAX_VALUE / 2);
    }

    static boolean passed(long deadline) {
        return System.nanoTime() - deadline >= 0;
    }
}
