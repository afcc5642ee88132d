package io.multiprocess.spring.boot.autoconfigure.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;

import io.multiprocess.pool.TaskFailedException;
import io.multiprocess.pool.TaskOutcome;
import io.multiprocess.pool.TaskTimeoutException;
import io.multiprocess.pool.ThreadDump;
import io.multiprocess.pool.WorkerCrashedException;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The dashboard's rings, on a clock of the test's own: no worker JVM. */
class PoolHistoryTest {

    private final AtomicLong now = new AtomicLong(1_700_000_000_000L);

    @Test
    void tenMinutesAreHundredTwentyIntervalsOfFiveSecondsAndShorterHistoriesWholeSeconds() {
        PoolHistory tenMinutes = new PoolHistory(Duration.ofMinutes(10), now::get);
        assertThat(tenMinutes.interval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(tenMinutes.intervals()).hasSize(PoolHistory.MAX_INTERVALS);
        assertThat(new PoolHistory(Duration.ofSeconds(30), now::get).intervals()).hasSize(30);
        PoolHistory day = new PoolHistory(Duration.ofDays(1), now::get);
        assertThat(day.intervals()).hasSize(PoolHistory.MAX_INTERVALS);
        assertThat(day.span()).isEqualTo(Duration.ofDays(1));
    }

    @Test
    void anIntervalCountsTasksItemsFailuresAndTheMeanAndLongestRunTime() {
        PoolHistory history = new PoolHistory(Duration.ofMinutes(1), now::get);
        history.taskFinished(1, 10, TaskOutcome.SUCCESS, Duration.ofMillis(100));
        history.taskFinished(2, 10, TaskOutcome.SUCCESS, Duration.ofMillis(300));
        history.taskFinished(3, 1, TaskOutcome.TIMEOUT, Duration.ofMillis(500));
        history.taskFinished(4, 5, TaskOutcome.CANCELLED, Duration.ZERO);
        now.addAndGet(1250);
        history.taskFinished(5, 1, TaskOutcome.SUCCESS, Duration.ofMillis(40));

        List<PoolHistory.Interval> intervals = history.intervals();
        PoolHistory.Interval previous = intervals.get(intervals.size() - 2);
        assertThat(previous.tasks()).isEqualTo(4);
        assertThat(previous.items()).isEqualTo(26);
        assertThat(previous.failures()).isEqualTo(2);
        assertThat(previous.tasksPerSecond()).isEqualTo(4.0);
        assertThat(previous.meanMillis()).as("the cancelled task never ran: not in the mean").isEqualTo(300.0);
        assertThat(previous.maxMillis()).isEqualTo(500.0);
        assertThat(previous.millis()).isEqualTo(1000);
        PoolHistory.Interval current = intervals.get(intervals.size() - 1);
        assertThat(current.tasks()).isEqualTo(1);
        assertThat(current.millis()).as("a quarter of it gone by").isEqualTo(250);
        assertThat(current.tasksPerSecond()).as("over at least a second").isEqualTo(1.0);
        assertThat(intervals.subList(0, intervals.size() - 2)).allMatch(interval -> interval.tasks() == 0);
    }

    @Test
    void theRingForgetsWhatIsOlderThanItsSpanAndNeverGrows() {
        PoolHistory history = new PoolHistory(Duration.ofSeconds(10), now::get);
        history.taskFinished(1, 1, TaskOutcome.SUCCESS, Duration.ofMillis(5));
        for (int second = 0; second < 1_000; second++) {
            now.addAndGet(1000);
            history.taskFinished(second, 1, TaskOutcome.SUCCESS, Duration.ofMillis(5));
        }
        List<PoolHistory.Interval> intervals = history.intervals();
        assertThat(intervals).hasSize(10).allMatch(interval -> interval.tasks() == 1);
        assertThat(intervals.get(9).start()).isEqualTo(now.get() / 1000 * 1000);

        now.addAndGet(Duration.ofMinutes(5).toMillis());
        assertThat(history.intervals()).hasSize(10).allMatch(interval -> interval.tasks() == 0);
    }

    @Test
    void theLastTwentyFailuresAreKeptNewestFirstWithoutCancellations() {
        PoolHistory history = new PoolHistory(Duration.ofMinutes(1), now::get);
        IntStream.range(0, 50).forEach(task -> history.taskFailed(task, 7, TaskOutcome.FAILURE,
                new TaskFailedException("task " + task + " failed", new IllegalStateException("boom " + task))));
        history.taskFailed(99, 7, TaskOutcome.CANCELLED, new java.util.concurrent.CancellationException());

        List<PoolHistory.Failure> failures = history.failures();
        assertThat(failures).hasSize(PoolHistory.FAILURES_KEPT);
        assertThat(failures.get(0).taskId()).isEqualTo(49);
        assertThat(failures.get(19).taskId()).isEqualTo(30);
        PoolHistory.Failure newest = failures.get(0);
        assertThat(newest.outcome()).isEqualTo("failure");
        assertThat(newest.error()).isEqualTo(TaskFailedException.class.getName());
        assertThat(newest.stackTrace()).startsWith("java.lang.IllegalStateException: boom 49")
                .contains("at " + PoolHistoryTest.class.getName());
        assertThat(newest.threadDump()).isNull();
    }

    @Test
    void aCrashKeepsTheStderrTailAndATimeoutTheThreadDumpBothBounded() {
        PoolHistory history = new PoolHistory(Duration.ofMinutes(1), now::get);
        List<String> stderr = IntStream.range(0, 200).mapToObj(line -> "line " + line + " " + "x".repeat(5_000))
                .toList();
        history.taskFailed(1, 4711, TaskOutcome.CRASH, new WorkerCrashedException("worker 4711 died: "
                + "y".repeat(10_000), 4711, 134, stderr));
        StackTraceElement frame = new StackTraceElement("com.acme.Report", "render", "Report.java", 42);
        ThreadDump dump = new ThreadDump(4712, Duration.ofMillis(250), IntStream.range(0, 2_000)
                .mapToObj(thread -> new ThreadDump.ThreadStack("worker-" + thread, thread, Thread.State.RUNNABLE,
                        false, thread == 0, Collections.nCopies(20, frame))).toList());
        history.taskFailed(2, 4712, TaskOutcome.TIMEOUT, new TaskTimeoutException("task 2 ran past 500 ms", dump));

        PoolHistory.Failure timeout = history.failures().get(0);
        assertThat(timeout.outcome()).isEqualTo("timeout");
        assertThat(timeout.threadDump()).startsWith("threads of worker pid 4712")
                .contains("\"worker-0\" #0 RUNNABLE   <- ran the task", "at com.acme.Report.render(Report.java:42)")
                .hasSizeLessThan(PoolHistory.THREAD_DUMP_CHARS + 100).endsWith("more characters)");
        PoolHistory.Failure crash = history.failures().get(1);
        assertThat(crash.exitCode()).isEqualTo(134);
        assertThat(crash.workerPid()).isEqualTo(4711);
        assertThat(crash.message()).hasSizeLessThan(PoolHistory.MESSAGE_CHARS + 100);
        assertThat(crash.stderrTail()).hasSize(PoolHistory.STDERR_LINES).allMatch(line -> line.length()
                < PoolHistory.LINE_CHARS + 100);
        assertThat(crash.stderrTail().get(PoolHistory.STDERR_LINES - 1)).startsWith("line 199 ");
    }

    @Test
    void aListenerNeverThrowsIntoThePool() {
        PoolHistory history = new PoolHistory(Duration.ofMinutes(1), () -> {
            throw new IllegalStateException("a broken clock");
        });
        assertThatNoException().isThrownBy(() -> {
            history.taskFinished(1, 1, TaskOutcome.SUCCESS, Duration.ofMillis(1));
            history.taskFailed(1, 1, TaskOutcome.FAILURE, null);
        });
        PoolHistory working = new PoolHistory(Duration.ofMinutes(1), now::get);
        working.taskFailed(1, -1, TaskOutcome.FAILURE, null);
        working.taskFinished(1, 1, TaskOutcome.FAILURE, null);
        assertThat(working.failures()).singleElement().satisfies(failure -> {
            assertThat(failure.workerPid()).isEqualTo(-1);
            assertThat(failure.error()).isNull();
        });
    }
}
