package io.multiprocess.spring.boot.autoconfigure.dashboard;

import io.multiprocess.ProcessPool;
import io.multiprocess.pool.CallProgress;
import io.multiprocess.pool.PoolSnapshot;
import io.multiprocess.pool.PoolTotals;
import io.multiprocess.pool.TimeSpent;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What {@code GET {multiprocess.dashboard.path}/data} returns, and the page draws: every {@link ProcessPool} bean by
 * bean name, now. Times are epoch milliseconds, durations milliseconds, sizes bytes; names of states and outcomes
 * are lower case.
 *
 * <pre>{@code
 * {
 *   "now": 1718000000000, "historyMillis": 600000, "intervalMillis": 5000,
 *   "pools": {
 *     "multiprocessPool": {
 *       "startMethod": "forkserver", "state": "running", "started": true, "processes": 2,
 *       "queuedTasks": 0, "runningTasks": 1, "consecutiveCrashes": 0, "crashLooping": false,
 *       "replacementBackoffMillis": 0,
 *       "workers": [{"pid": 4711, "slot": 0, "state": "busy", "tasksDone": 12, "uptimeMillis": 61000,
 *                    "heapUsedBytes": 9437184, "residentBytes": 73400320, "cpuMillis": 2310,
 *                    "timeSpent": {"startingMillis": 310, "waitingMillis": 58000, "workingMillis": 2600,
 *                                  "serializingMillis": 4, "deserializingMillis": 9}}],
 *       "runningCalls": 1,
 *       "calls": [{"id": 812, "kind": "map", "done": 480, "failed": 0, "total": 2000, "elapsedMillis": 1210,
 *                  "itemsPerSecond": 396.7, "estimatedMillisLeft": 3831}],
 *       "totals": {"workersStarted": 3, "workerExits": {"crashed": 1, ...}, "tasks": {"success": 12, ...},
 *                  "items": {"success": 480, ...}, "taskSeconds": {"success": 2.6, ...},
 *                  "workerTime": {"startingMillis": 900, ...}},
 *       "history": [{"start": 1717999400000, "millis": 5000, "tasks": 0, "items": 0, "failures": 0,
 *                    "tasksPerSecond": 0.0, "meanMillis": 0.0, "maxMillis": 0.0}, ...],
 *       "failures": [{"at": 1717999990000, "taskId": 41, "workerPid": 4712, "outcome": "timeout",
 *                     "error": "io.multiprocess.pool.TaskTimeoutException", "message": "...",
 *                     "exitCode": null, "stderrTail": [], "threadDump": "threads of worker pid 4712 ...",
 *                     "stackTrace": null}]
 *     }
 *   }
 * }
 * }</pre>
 *
 * <ul>
 *   <li>{@code workers}: {@code residentBytes} is -1 where the platform does not tell (only Linux does),
 *       {@code heapUsedBytes} -1 before the worker's first task, {@code cpuMillis} null where the platform does not
 *       tell; the page turns {@code cpuMillis} into a CPU share from one poll to the next.</li>
 *   <li>{@code calls}: the oldest {@value #CALLS_LISTED} running calls, {@code runningCalls} counting them all;
 *       {@code total} is -1 while an {@code imap}'s input has not ended, {@code estimatedMillisLeft} null when
 *       unknown.</li>
 *   <li>{@code history}: every interval of the last {@code historyMillis}, oldest first (see
 *       {@link PoolHistory.Interval}); {@code failures}: the last failures, timeouts and crashes, newest first (see
 *       {@link PoolHistory.Failure}).</li>
 * </ul>
 */
public record DashboardData(long now, long historyMillis, long intervalMillis, Map<String, PoolData> pools) {

    /** At most this many running calls are listed per pool: a busy service may have thousands of applies. */
    public static final int CALLS_LISTED = 50;

    /** The pools now, with what {@code history} kept of them. */
    public static DashboardData of(Map<String, ProcessPool> pools, DashboardHistory history) {
        Map<String, PoolData> data = new TreeMap<>();
        pools.forEach((name, pool) -> data.put(name, PoolData.of(pool, history.forPool(name, pool))));
        return new DashboardData(history.now(), history.span().toMillis(), history.interval().toMillis(), data);
    }

    /** One pool: its state, workers, running calls, totals, history and last failures. */
    public record PoolData(String startMethod, String state, boolean started, int processes, int queuedTasks,
            int runningTasks, int consecutiveCrashes, boolean crashLooping, long replacementBackoffMillis,
            List<WorkerData> workers, int runningCalls, List<CallData> calls, TotalsData totals,
            List<PoolHistory.Interval> history, List<PoolHistory.Failure> failures) {

        static PoolData of(ProcessPool pool, PoolHistory history) {
            PoolSnapshot snapshot = pool.snapshot();
            List<CallProgress> calls = pool.runningCalls();
            return new PoolData(pool.context().getStartMethod(), lower(snapshot.state()), pool.isStarted(),
                    snapshot.processes(), snapshot.queuedTasks(), snapshot.runningTasks(),
                    snapshot.consecutiveCrashes(), snapshot.crashLooping(),
                    snapshot.replacementBackoff().toMillis(),
                    snapshot.workers().stream().map(WorkerData::of).toList(), calls.size(),
                    calls.stream().limit(CALLS_LISTED).map(CallData::of).toList(), TotalsData.of(pool.totals()),
                    history.intervals(), history.failures());
        }
    }

    /** One worker JVM; see {@link PoolSnapshot.Worker}. */
    public record WorkerData(long pid, int slot, String state, long tasksDone, long uptimeMillis, long heapUsedBytes,
            long residentBytes, Long cpuMillis, TimeData timeSpent) {

        static WorkerData of(PoolSnapshot.Worker worker) {
            return new WorkerData(worker.pid(), worker.slot(), lower(worker.state()), worker.tasksDone(),
                    worker.uptime().toMillis(), worker.heapUsedBytes(), worker.residentBytes(),
                    worker.cpuTime() == null ? null : worker.cpuTime().toMillis(), TimeData.of(worker.timeSpent()));
        }
    }

    /** A running call; see {@link CallProgress}. */
    public record CallData(long id, String kind, long done, long failed, long total, long elapsedMillis,
            double itemsPerSecond, Long estimatedMillisLeft) {

        static CallData of(CallProgress progress) {
            return new CallData(progress.callId(), progress.kind(), progress.done(), progress.failed(),
                    progress.total(), progress.elapsed().toMillis(), Math.round(progress.itemsPerSecond() * 10) / 10.0,
                    progress.estimatedTimeLeft().map(Duration::toMillis).orElse(null));
        }
    }

    /** What the pool has done since it was created, keyed as the meters' tags are; see {@link PoolTotals}. */
    public record TotalsData(long workersStarted, Map<String, Long> workerExits, Map<String, Long> tasks,
            Map<String, Long> items, Map<String, Double> taskSeconds, TimeData workerTime) {

        static TotalsData of(PoolTotals totals) {
            Map<String, Double> seconds = new TreeMap<>();
            totals.taskTime().forEach((outcome, time) -> seconds.put(lower(outcome),
                    Math.round(time.toNanos() / 1e6) / 1e3));
            return new TotalsData(totals.workersStarted(), lowerKeys(totals.workerExits()), lowerKeys(totals.tasks()),
                    lowerKeys(totals.items()), seconds, TimeData.of(totals.workerTime()));
        }
    }

    /** Where time went, in milliseconds; see {@link TimeSpent}. */
    public record TimeData(long startingMillis, long waitingMillis, long workingMillis, long serializingMillis,
            long deserializingMillis) {

        static TimeData of(TimeSpent spent) {
            TimeSpent time = spent == null ? TimeSpent.NONE : spent;
            return new TimeData(time.starting().toMillis(), time.waiting().toMillis(), time.working().toMillis(),
                    time.serializing().toMillis(), time.deserializing().toMillis());
        }
    }

    private static Map<String, Long> lowerKeys(Map<? extends Enum<?>, Long> counts) {
        Map<String, Long> lowered = new TreeMap<>();
        counts.forEach((key, count) -> lowered.put(lower(key), count));
        return lowered;
    }

    private static String lower(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }
}
