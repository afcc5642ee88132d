package io.multiprocess.spring.boot.autoconfigure.dashboard;

import io.multiprocess.pool.PoolListener;
import io.multiprocess.pool.TaskOutcome;
import io.multiprocess.pool.TaskTimeoutException;
import io.multiprocess.pool.ThreadDump;
import io.multiprocess.pool.WorkerCrashedException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * What one pool did over the last minutes, for the dashboard's charts, and its last failures. A
 * {@link PoolListener}: it keeps what the pool tells it and needs no thread of its own. Memory is bounded whatever
 * the load: at most {@value #MAX_INTERVALS} intervals (each the tasks, items and failures that ended in it, and the
 * sum and maximum of their run time) and the last {@value #FAILURES_KEPT} failures, each with bounded text.
 *
 * <pre>{@code
 * PoolHistory history = new PoolHistory(Duration.ofMinutes(10), System::currentTimeMillis);
 * pool.addListener(history);
 * List<PoolHistory.Interval> lastTenMinutes = history.intervals();   // oldest first, 120 intervals of 5 s
 * }</pre>
 */
public final class PoolHistory implements PoolListener {

    /** The charts' resolution: more points than this do not make a chart of a few hundred pixels any clearer. */
    public static final int MAX_INTERVALS = 120;

    /** Failures kept, newest first. */
    public static final int FAILURES_KEPT = 20;

    static final int MESSAGE_CHARS = 500;
    static final int STDERR_LINES = 50;
    static final int LINE_CHARS = 1_000;
    static final int THREAD_DUMP_CHARS = 16_384;
    static final int STACK_TRACE_CHARS = 8_192;

    private final long intervalMillis;
    private final int intervals;
    private final LongSupplier clock;

    /** Per slot of the ring: the interval it holds (epoch millis / intervalMillis), or -1; stale slots read as 0. */
    private final long[] intervalOf;
    private final long[] tasks;
    private final long[] items;
    private final long[] failed;
    /** Tasks that ran on a worker (a task cancelled before it started has no run time to average). */
    private final long[] timed;
    private final long[] runNanos;
    private final long[] maxRunNanos;
    private final Deque<Failure> failures = new ArrayDeque<>(FAILURES_KEPT);

    /**
     * @param history how far back the intervals go; split into at most {@value #MAX_INTERVALS} intervals of whole
     *     seconds
     * @param clockMillis the time, in epoch milliseconds
     */
    public PoolHistory(Duration history, LongSupplier clockMillis) {
        if (history == null || history.isNegative() || history.isZero()) {
            throw new IllegalArgumentException("history must be positive, not " + history);
        }
        this.intervalMillis = intervalFor(history).toMillis();
        this.intervals = (int) (spanFor(history).toMillis() / intervalMillis);
        this.clock = clockMillis;
        this.intervalOf = new long[intervals];
        java.util.Arrays.fill(intervalOf, -1);
        this.tasks = new long[intervals];
        this.items = new long[intervals];
        this.failed = new long[intervals];
        this.timed = new long[intervals];
        this.runNanos = new long[intervals];
        this.maxRunNanos = new long[intervals];
    }

    /** The intervals' length for a {@code history}: whole seconds, and at most {@value #MAX_INTERVALS} of them. */
    static Duration intervalFor(Duration history) {
        long seconds = Math.max(1, (history.toMillis() + 999) / 1000);
        return Duration.ofSeconds(Math.max(1, (seconds + MAX_INTERVALS - 1) / MAX_INTERVALS));
    }

    /** What a {@code history} covers: a whole number of its intervals, so at least the {@code history}. */
    static Duration spanFor(Duration history) {
        long interval = intervalFor(history).toMillis();
        return Duration.ofMillis(interval * Math.max(1, (history.toMillis() + interval - 1) / interval));
    }

    /** The length of one interval. */
    public Duration interval() {
        return Duration.ofMillis(intervalMillis);
    }

    /** How far back {@link #intervals()} go: the interval times their number. */
    public Duration span() {
        return Duration.ofMillis(intervalMillis * intervals);
    }

    @Override
    public void taskFinished(long taskId, int size, TaskOutcome outcome, Duration duration) {
        try {
            long now = clock.getAsLong();
            long run = duration == null ? 0 : Math.max(0, duration.toNanos());
            synchronized (this) {
                int slot = slot(now / intervalMillis);
                tasks[slot]++;
                items[slot] += Math.max(0, size);
                if (outcome != TaskOutcome.SUCCESS) {
                    failed[slot]++;
                }
                if (run > 0) {
                    timed[slot]++;
                    runNanos[slot] += run;
                    maxRunNanos[slot] = Math.max(maxRunNanos[slot], run);
                }
            }
        } catch (RuntimeException ignored) {
            // A chart missing a task is better than a pool thread failing; nothing here should throw anyway.
        }
    }

    /**
     * Keeps failures, timeouts and crashes. Cancellations are counted in the intervals but not kept here: a
     * terminated pool cancels every queued task at once and would push the failures worth reading out.
     */
    @Override
    public void taskFailed(long taskId, long workerPid, TaskOutcome outcome, RuntimeException error) {
        if (outcome == TaskOutcome.CANCELLED || outcome == TaskOutcome.SUCCESS) {
            return;
        }
        try {
            Failure failure = Failure.of(clock.getAsLong(), taskId, workerPid, outcome, error);
            synchronized (this) {
                if (failures.size() == FAILURES_KEPT) {
                    failures.removeLast();
                }
                failures.addFirst(failure);
            }
        } catch (RuntimeException ignored) {
            // As above: the pool's thread must not pay for the dashboard.
        }
    }

    /** The slot of {@code interval}, emptied first if it held an older one. Called holding the lock. */
    private int slot(long interval) {
        int slot = (int) Math.floorMod(interval, (long) intervals);
        if (intervalOf[slot] != interval) {
            intervalOf[slot] = interval;
            tasks[slot] = 0;
            items[slot] = 0;
            failed[slot] = 0;
            timed[slot] = 0;
            runNanos[slot] = 0;
            maxRunNanos[slot] = 0;
        }
        return slot;
    }

    /**
     * Every interval of the {@link #span()} up to now, oldest first, those without tasks included; the last one is
     * still going ({@link Interval#millis()} says how far).
     */
    public List<Interval> intervals() {
        long now = clock.getAsLong();
        long current = now / intervalMillis;
        List<Interval> points = new ArrayList<>(intervals);
        synchronized (this) {
            for (long interval = current - intervals + 1; interval <= current; interval++) {
                long start = interval * intervalMillis;
                long gone = interval == current ? now - start : intervalMillis;
                int slot = (int) Math.floorMod(interval, (long) intervals);
                if (intervalOf[slot] != interval) {
                    points.add(new Interval(start, gone, 0, 0, 0, 0, 0, 0));
                    continue;
                }
                // At least a second, so a task just after an interval began does not read as a burst.
                double perSecond = Math.round(tasks[slot] * 1000.0 / Math.max(1000, gone) * 100) / 100.0;
                double mean = timed[slot] == 0 ? 0 : Math.round(runNanos[slot] / (double) timed[slot] / 1e4) / 100.0;
                double max = Math.round(maxRunNanos[slot] / 1e4) / 100.0;
                points.add(new Interval(start, gone, tasks[slot], items[slot], failed[slot], perSecond, mean, max));
            }
        }
        return points;
    }

    /** The last failures, timeouts and crashes, newest first. */
    public synchronized List<Failure> failures() {
        return List.copyOf(failures);
    }

    /**
     * The tasks that ended in one interval.
     *
     * @param start when it began, in epoch milliseconds
     * @param millis how much of it has gone by: its whole length, but for the current interval
     * @param tasks tasks (an {@code apply}, or a chunk of a {@code map}) that ended, whatever their outcome
     * @param items the items those tasks held
     * @param failures those of them that did not succeed (failed, timed out, crashed or were cancelled)
     * @param tasksPerSecond {@code tasks} over {@code millis} (at least a second: a rate of the current interval is
     *     rough until it has gone by)
     * @param meanMillis their mean run time on a worker, 0 without tasks
     * @param maxMillis the longest of them
     */
    public record Interval(long start, long millis, long tasks, long items, long failures, double tasksPerSecond,
            double meanMillis, double maxMillis) {
    }

    /**
     * A task that failed, timed out or crashed its worker.
     *
     * @param at when it was heard of, in epoch milliseconds
     * @param workerPid the worker that ran it, or -1 if it never started
     * @param outcome {@code failure}, {@code timeout} or {@code crash}
     * @param error the class of the exception its caller got
     * @param message the start of that exception's message
     * @param exitCode a crashed worker's exit code, else null
     * @param stderrTail a crashed worker's last stderr lines, else empty
     * @param threadDump a timed-out worker's threads before the kill, as {@code jstack} prints them; null when
     *     there is none
     * @param stackTrace a failed task's exception with its stack trace as it was in the worker; null for the other
     *     outcomes
     */
    public record Failure(long at, long taskId, long workerPid, String outcome, String error, String message,
            Integer exitCode, List<String> stderrTail, String threadDump, String stackTrace) {

        static Failure of(long at, long taskId, long workerPid, TaskOutcome outcome, RuntimeException error) {
            String message = error == null ? null : cut(error.getMessage(), MESSAGE_CHARS);
            Integer exitCode = null;
            List<String> stderr = List.of();
            String dump = null;
            String stack = null;
            if (error instanceof WorkerCrashedException crash) {
                exitCode = crash.exitCode();
                List<String> tail = crash.stderrTail();
                stderr = tail.subList(Math.max(0, tail.size() - STDERR_LINES), tail.size()).stream()
                        .map(line -> cut(line, LINE_CHARS)).toList();
            } else if (error instanceof TaskTimeoutException timeout) {
                dump = timeout.threadDump().map(ThreadDump::toString).map(text -> cut(text, THREAD_DUMP_CHARS))
                        .orElse(null);
            } else if (outcome == TaskOutcome.FAILURE && error != null) {
                // The task's own exception, whose stack is the one it had in the worker.
                Throwable cause = error.getCause() == null ? error : error.getCause();
                StringWriter trace = new StringWriter();
                cause.printStackTrace(new PrintWriter(trace));
                stack = cut(trace.toString(), STACK_TRACE_CHARS);
            }
            return new Failure(at, taskId, workerPid, outcome.name().toLowerCase(Locale.ROOT),
                    error == null ? null : error.getClass().getName(), message, exitCode, stderr, dump, stack);
        }

        private static String cut(String text, int chars) {
            if (text == null || text.length() <= chars) {
                return text;
            }
            return text.substring(0, chars) + "… (" + (text.length() - chars) + " more characters)";
        }
    }
}
