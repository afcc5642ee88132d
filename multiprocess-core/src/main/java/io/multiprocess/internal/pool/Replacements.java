package io.multiprocess.internal.pool;

import java.time.Duration;

/**
 * When a pool replaces a worker that died, and when it stops trying: counts only, no JVM, no clock. Guarded by the
 * {@link Scheduler}'s lock.
 *
 * <p>Two kinds of death are told apart. A worker that dies before it is ready (a bad JVM flag, classpath or
 * initializer) could not start: after {@link #MAX_START_FAILURES} in a row the pool gives up, since replacing it would
 * only loop. A worker that was ready and dies (killed, {@code System.exit} in a task, a native crash) is always
 * replaced; when such deaths come one after another with no task finishing in between, replacements wait, longer
 * each time up to {@link #MAX_BACKOFF}, and never give up.
 */
final class Replacements {

    /** Consecutive workers that die before they are ready after which the pool stops replacing them. */
    static final int MAX_START_FAILURES = 3;
    /** Ready workers that may die in a row and be replaced at once; after that replacements back off. */
    static final int CRASHES_BEFORE_BACKOFF = 3;
    static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

    private int startFailures;
    /** Ready workers that died on their own since a task last finished. */
    private int consecutiveCrashes;

    /** A worker got ready: starting workers evidently works. */
    void workerReady() {
        startFailures = 0;
    }

    /** A worker could not be launched, or died before it was ready. */
    void startFailed() {
        startFailures++;
    }

    /** A ready worker died on its own. */
    void crashed() {
        consecutiveCrashes++;
    }

    /**
     * A task finished: workers run tasks again.
     *
     * @return how many ready workers had died in a row before it (for the log)
     */
    int taskFinished() {
        int crashes = consecutiveCrashes;
        consecutiveCrashes = 0;
        return crashes;
    }

    /** Whether so many workers in a row could not start that replacing them would only loop. */
    boolean gaveUp() {
        return startFailures >= MAX_START_FAILURES;
    }

    int consecutiveCrashes() {
        return consecutiveCrashes;
    }

    /** Whether replacements of crashed workers wait now. */
    boolean backingOff() {
        return consecutiveCrashes > CRASHES_BEFORE_BACKOFF;
    }

    /** How long the next replacement of a worker that died on its own waits. */
    Duration replacementDelay() {
        if (!backingOff()) {
            return Duration.ZERO;
        }
        int doublings = Math.min(consecutiveCrashes - CRASHES_BEFORE_BACKOFF - 1, 16);
        Duration delay = FIRST_BACKOFF.multipliedBy(1L << doublings);
        return delay.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : delay;
    }

    /** How long to wait before launching again after a launch failed (a passing lack of memory or processes). */
    Duration launchRetryDelay() {
        return FIRST_BACKOFF.multipliedBy(1L << Math.min(startFailures, 6));
    }
}
