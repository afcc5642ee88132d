package io.multiprocess.bench.reliability;

import io.multiprocess.AsyncResult;
import io.multiprocess.BaseContext;
import io.multiprocess.Multiprocess;
import io.multiprocess.ProcessPool;
import io.multiprocess.ResultIterator;
import io.multiprocess.ResultTimeoutException;
import io.multiprocess.function.SerializableFunction;
import io.multiprocess.pool.PoolOptions;
import io.multiprocess.pool.PoolState;
import io.multiprocess.pool.TaskTimeoutException;
import io.multiprocess.pool.WorkerCrashedException;
import io.multiprocess.sharedctypes.CType;
import io.multiprocess.sharedctypes.LongArray;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Workers killed and stopped from outside while they run tasks: SIGKILL one at a time during a long imap, SIGKILL
 * of every busy worker at once, SIGSTOP with and without a timeout.
 */
final class CrashScenarios {

    /** Longest wait for one result before the scenario calls it a hang. */
    private static final Duration HANG = Duration.ofSeconds(60);

    private CrashScenarios() {
    }

    static List<Scenario> all() {
        return List.of(
                new Scenario("sigkill-imap", "SIGKILL of busy workers during a long imap",
                        "each kill fails exactly the task it hit (WorkerCrashedException, exit -9) and the worker is "
                                + "replaced; 0 lost, 0 run twice, 0 wrong, 0 hangs",
                        CrashScenarios::sigkillDuringImap),
                new Scenario("sigkill-burst", "SIGKILL of every busy worker at once, twice",
                        "the killed tasks fail with exit -9, the pool replaces all its workers and runs the rest; "
                                + "never broken by crashes of started workers",
                        CrashScenarios::sigkillBurst),
                new Scenario("sigstop-timeout", "SIGSTOP of a worker whose task has a 3 s timeout",
                        "the call fails with TaskTimeoutException after 2.9-3.x s, the stopped worker is killed and "
                                + "replaced, the next task runs",
                        CrashScenarios::sigstopWithTimeout),
                new Scenario("sigstop-no-timeout", "SIGSTOP of a worker whose task has no timeout",
                        "the call waits, as asked; terminate() ends the stopped worker within 5 s, never throws, "
                                + "and the call fails with CancellationException",
                        CrashScenarios::sigstopWithoutTimeout));
    }

    /**
     * What each task writes in shared memory, so the parent sees which worker runs what and whether anything ran
     * twice: runs (times started), pids, start times, ends (times finished).
     */
    record Ledger(LongArray runs, LongArray pids, LongArray started, LongArray ends) {

        static Ledger of(BaseContext context, int capacity) {
            return new Ledger(context.rawArray(CType.LONG, capacity), context.rawArray(CType.LONG, capacity),
                    context.rawArray(CType.LONG, capacity), context.rawArray(CType.LONG, capacity));
        }

        /** A task that records itself, sleeps {@code millis} and returns twice its item. */
        SerializableFunction<Integer, Integer> sleeper(long millis) {
            LongArray runs = this.runs;
            LongArray pids = this.pids;
            LongArray started = this.started;
            LongArray ends = this.ends;
            return item -> {
                // The pid and start time first: the parent reads them as soon as it sees the run counted.
                pids.set(item, ProcessHandle.current().pid());
                started.set(item, System.currentTimeMillis());
                runs.getAndAdd(item, 1);
                Thread.sleep(millis);
                ends.getAndAdd(item, 1);
                return item * 2;
            };
        }

        /** Items now running (started, not finished) for at least {@code minMillis} and at most {@code maxMillis}. */
        List<Integer> running(int upTo, long minMillis, long maxMillis) {
            long now = System.currentTimeMillis();
            List<Integer> items = new ArrayList<>();
            for (int i = 0; i < upTo; i++) {
                if (runs.get(i) == 1 && ends.get(i) == 0) {
                    long age = now - started.get(i);
                    if (age >= minMillis && age <= maxMillis) {
                        items.add(i);
                    }
                }
            }
            return items;
        }

        int ranTwice(int upTo) {
            int count = 0;
            for (int i = 0; i < upTo; i++) {
                count += runs.get(i) > 1 ? 1 : 0;
            }
            return count;
        }
    }

    /** Counts what the consumer of an imap saw, item by item. */
    static final class Outcomes {
        int ok;
        int wrong;
        int failedAsKilled;
        int failedOtherwise;
        int hangs;
        final Map<Integer, Integer> exitCodes = new TreeMap<>();
        final Map<String, Integer> otherErrors = new LinkedHashMap<>();

        void consume(ResultIterator<Integer> results, Set<Integer> killed, AtomicInteger consumed) {
            int item = 0;
            while (true) {
                try {
                    if (!results.hasNext()) {
                        return;
                    }
                    Integer value = results.next(HANG);
                    if (value == item * 2) {
                        ok++;
                    } else {
                        wrong++;
                    }
                } catch (ResultTimeoutException e) {
                    hangs++;
                    return;
                } catch (WorkerCrashedException e) {
                    exitCodes.merge(e.exitCode(), 1, Integer::sum);
                    if (killed.contains(item)) {
                        failedAsKilled++;
                    } else {
                        failedOtherwise++;
                        otherErrors.merge("WorkerCrashedException (exit " + e.exitCode() + ") of a task not killed",
                                1, Integer::sum);
                    }
                } catch (RuntimeException e) {
                    failedOtherwise++;
                    otherErrors.merge(ReliabilityBench.describe(e), 1, Integer::sum);
                }
                item++;
                consumed.set(item);
            }
        }

        int failed() {
            return failedAsKilled + failedOtherwise;
        }

        String others() {
            if (otherErrors.isEmpty()) {
                return "";
            }
            StringBuilder text = new StringBuilder("; other failures: ");
            otherErrors.forEach((error, count) -> text.append(count).append("× ").append(error).append(' '));
            return text.toString().trim();
        }
    }

    /**
     * Kills a busy worker, one at a time, while an endless imap of 100 ms tasks runs on a pool of 2; the input ends
     * once the kills are done. A worker is killed only past its first task and mid-sleep, so every kill hits a task
     * (the first-task rule is the burst scenario's).
     */
    static Scenario.Result sigkillDuringImap(Size size, Scenario.Settings settings) throws Exception {
        int kills = size.pick(5, 100);
        int capacity = 100_000;
        BaseContext context = Multiprocess.getContext();
        Ledger ledger = Ledger.of(context, capacity);
        Set<Integer> killed = ConcurrentHashMap.newKeySet();
        Set<Long> provenWorkers = ConcurrentHashMap.newKeySet();
        AtomicInteger produced = new AtomicInteger();
        AtomicInteger consumed = new AtomicInteger();
        AtomicBoolean killsDone = new AtomicBoolean();
        Iterable<Integer> input = () -> new Iterator<>() {
            private int tail = 20;

            @Override
            public boolean hasNext() {
                return produced.get() < capacity && (!killsDone.get() || tail > 0);
            }

            @Override
            public Integer next() {
                if (killsDone.get()) {
                    tail--;
                }
                return produced.getAndIncrement();
            }
        };
        long started = System.nanoTime();
        Outcomes outcomes = new Outcomes();
        try (ProcessPool pool = context.pool(2)) {
            Thread killer = new Thread(() -> {
                try {
                    while (killed.size() < kills) {
                        Os.sleep(ThreadLocalRandom.current().nextLong(100, 300));
                        for (int i = 0; i < consumed.get(); i++) {
                            if (ledger.ends().get(i) == 1) {
                                provenWorkers.add(ledger.pids().get(i));
                            }
                        }
                        for (int item : ledger.running(produced.get(), 20, 60)) {
                            long pid = ledger.pids().get(item);
                            if (provenWorkers.contains(pid)) {
                                killed.add(item);
                                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
                                break;
                            }
                        }
                    }
                } finally {
                    killsDone.set(true);
                }
            }, "reliability-killer");
            killer.setDaemon(true);
            killer.start();
            outcomes.consume(pool.imap(ledger.sleeper(100), input, 1), killed, consumed);
            killsDone.set(true);
            if (outcomes.hangs > 0) {
                pool.terminate();
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        int tasks = produced.get();
        int lost = tasks - outcomes.ok - outcomes.wrong - outcomes.failed();
        int twice = ledger.ranTwice(tasks);
        boolean allMinus9 = outcomes.exitCodes.keySet().stream().allMatch(code -> code == -9);
        boolean held = outcomes.failedAsKilled == killed.size() && outcomes.failedOtherwise == 0 && allMinus9
                && outcomes.wrong == 0 && lost == 0 && twice == 0 && outcomes.hangs == 0;
        String figure = String.format(Locale.ROOT, "killed %d, failed %d (exit codes %s), wrong %d, lost %d, run "
                + "twice %d, hangs %d; %,d tasks in %.0f s%s", killed.size(), outcomes.failed(),
                codes(outcomes.exitCodes), outcomes.wrong, lost, twice, outcomes.hangs, tasks, seconds,
                outcomes.others());
        return new Scenario.Result(String.format(Locale.ROOT, "pool(2), imap of 100 ms tasks, chunksize 1; %d "
                + "SIGKILLs, each of a worker past its first task, mid-task, 100-300 ms apart", kills), figure, held);
    }

    static String codes(Map<Integer, Integer> exitCodes) {
        if (exitCodes.isEmpty()) {
            return "none";
        }
        StringBuilder text = new StringBuilder();
        exitCodes.forEach((code, count) -> text.append(text.length() == 0 ? "" : ", ").append(count).append("× ")
                .append(code));
        return text.toString();
    }

    /**
     * A pool of 4 runs 2 s tasks; once all four run their first task, all four are SIGKILLed at once; once their
     * replacements run, those too. The other tasks must complete.
     */
    static Scenario.Result sigkillBurst(Size size, Scenario.Settings settings) throws Exception {
        int workers = 4;
        int items = workers * 4;
        BaseContext context = Multiprocess.getContext();
        Ledger ledger = Ledger.of(context, items);
        Set<Integer> killed = ConcurrentHashMap.newKeySet();
        List<String> bursts = new ArrayList<>();
        Outcomes outcomes = new Outcomes();
        long started = System.nanoTime();
        String state;
        try (ProcessPool pool = context.pool(workers)) {
            Thread killer = new Thread(() -> {
                for (int burst = 0; burst < 2; burst++) {
                    long deadline = System.nanoTime() + 60_000_000_000L;
                    List<Integer> running = List.of();
                    while (System.nanoTime() < deadline && pool.snapshot().state() != PoolState.BROKEN) {
                        running = ledger.running(items, 50, 1_500).stream().filter(i -> !killed.contains(i)).toList();
                        if (running.size() == workers) {
                            break;
                        }
                        Os.sleep(10);
                    }
                    if (running.size() < workers) {
                        running = List.of();
                    }
                    running.forEach(item -> {
                        killed.add(item);
                        ProcessHandle.of(ledger.pids().get(item)).ifPresent(ProcessHandle::destroyForcibly);
                    });
                    bursts.add(running.isEmpty() ? "no second burst: the pool was " + pool.snapshot().state()
                            : running.size() + " busy workers killed");
                    if (running.size() < workers) {
                        return;
                    }
                }
            }, "reliability-burst");
            killer.setDaemon(true);
            killer.start();
            List<Integer> input = new ArrayList<>();
            for (int i = 0; i < items; i++) {
                input.add(i);
            }
            outcomes.consume(pool.imap(ledger.sleeper(2_000), input, 1), killed, new AtomicInteger());
            killer.join(60_000);
            state = pool.snapshot().state().name();
            if (outcomes.hangs > 0) {
                pool.terminate();
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        int lost = items - outcomes.ok - outcomes.wrong - outcomes.failed();
        int twice = ledger.ranTwice(items);
        boolean held = killed.size() == 2 * workers && outcomes.failedAsKilled == killed.size()
                && outcomes.failedOtherwise == 0 && outcomes.ok == items - killed.size() && lost == 0 && twice == 0
                && outcomes.hangs == 0;
        String figure = String.format(Locale.ROOT, "%s; of %d tasks: %d done, %d failed as killed (exit codes %s), %d "
                + "failed otherwise, lost %d, run twice %d, hangs %d; pool %s after %.0f s%s", String.join(", then ",
                bursts), items, outcomes.ok, outcomes.failedAsKilled, codes(outcomes.exitCodes),
                outcomes.failedOtherwise, lost, twice, outcomes.hangs, state, seconds, outcomes.others());
        return new Scenario.Result(String.format(Locale.ROOT, "pool(%d), imap of %d tasks of 2 s; SIGKILL of all %d "
                + "busy workers at once (each in its first task), then of all %d replacements", workers, items,
                workers, workers), figure, held);
    }

    /** Waits until the task of {@code item} runs, and returns its worker's pid. */
    private static long awaitRunning(Ledger ledger, int item) {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (ledger.runs().get(item) == 0 || ledger.pids().get(item) <= 1) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the task did not start within 60 s");
            }
            Os.sleep(2);
        }
        return ledger.pids().get(item);
    }

    static Scenario.Result sigstopWithTimeout(Size size, Scenario.Settings settings) throws Exception {
        int rounds = size.pick(1, 5);
        BaseContext context = Multiprocess.getContext();
        Ledger ledger = Ledger.of(context, rounds);
        List<Double> seconds = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        boolean nextOk = true;
        try (ProcessPool pool = context.pool(PoolOptions.defaults().processes(1))) {
            pool.apply(() -> 0);
            for (int round = 0; round < rounds; round++) {
                int item = round;
                SerializableFunction<Integer, Integer> task = ledger.sleeper(60_000);
                long before = System.nanoTime();
                AsyncResult<Integer> call = pool.applyAsync(() -> task.apply(item), Duration.ofSeconds(3));
                long pid = awaitRunning(ledger, item);
                try {
                    Os.signal(pid, "STOP");
                    try {
                        call.get(HANG);
                        problems.add("the call returned a result");
                    } catch (TaskTimeoutException e) {
                        seconds.add((System.nanoTime() - before) / 1e9);
                    } catch (ResultTimeoutException e) {
                        problems.add("no outcome after " + HANG.toSeconds() + " s");
                    } catch (RuntimeException e) {
                        problems.add(ReliabilityBench.describe(e));
                    }
                    long deadline = System.nanoTime() + 5_000_000_000L;
                    while (Os.alive(pid) && System.nanoTime() < deadline) {
                        Os.sleep(5);
                    }
                    if (Os.alive(pid)) {
                        problems.add("the stopped worker was still alive 5 s after the timeout");
                    }
                } finally {
                    Os.killQuietly(pid);
                }
                try {
                    nextOk &= pool.applyAsync(() -> 7).get(HANG) == 7;
                } catch (RuntimeException e) {
                    nextOk = false;
                    problems.add("next task: " + ReliabilityBench.describe(e));
                }
            }
        }
        double min = seconds.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
        double max = seconds.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
        boolean held = problems.isEmpty() && nextOk && seconds.size() == rounds && min >= 2.9 && max < 4.0;
        String figure = String.format(Locale.ROOT, "TaskTimeoutException after %.2f-%.2f s (%d of %d rounds), "
                + "stopped worker killed, next task %s%s", min, max, seconds.size(), rounds, nextOk ? "ok" : "failed",
                problems.isEmpty() ? "" : "; " + String.join("; ", problems));
        return new Scenario.Result(String.format(Locale.ROOT, "pool(1); applyAsync(sleep 60 s, timeout 3 s), SIGSTOP "
                + "of its worker once it runs; %d rounds", rounds), figure, held);
    }

    static Scenario.Result sigstopWithoutTimeout(Size size, Scenario.Settings settings) throws Exception {
        int waitSeconds = size.pick(3, 10);
        BaseContext context = Multiprocess.getContext();
        Ledger ledger = Ledger.of(context, 1);
        List<String> problems = new ArrayList<>();
        boolean waited;
        double terminateMillis = Double.NaN;
        double goneMillis = Double.NaN;
        String callOutcome = "";
        ProcessPool pool = context.pool(1);
        long pid = -1;
        try {
            pool.apply(() -> 0);
            SerializableFunction<Integer, Integer> task = ledger.sleeper(60_000);
            AsyncResult<Integer> call = pool.applyAsync(() -> task.apply(0));
            pid = awaitRunning(ledger, 0);
            Os.signal(pid, "STOP");
            waited = !call.waitFor(Duration.ofSeconds(waitSeconds));
            long before = System.nanoTime();
            try {
                pool.terminate();
            } catch (RuntimeException e) {
                problems.add("terminate() threw " + ReliabilityBench.describe(e));
            }
            terminateMillis = (System.nanoTime() - before) / 1e6;
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (Os.alive(pid) && System.nanoTime() < deadline) {
                Os.sleep(2);
            }
            if (Os.alive(pid)) {
                problems.add("the stopped worker was alive 5 s after terminate()");
            } else {
                goneMillis = (System.nanoTime() - before) / 1e6;
            }
            try {
                call.get(Duration.ofSeconds(10));
                callOutcome = "the call returned a result";
                problems.add(callOutcome);
            } catch (CancellationException e) {
                callOutcome = "the call failed with CancellationException";
            } catch (RuntimeException e) {
                callOutcome = "the call failed with " + ReliabilityBench.describe(e);
                problems.add("not a CancellationException");
            }
        } finally {
            if (pid > 0) {
                Os.killQuietly(pid);
            }
            pool.terminate();
        }
        boolean held = waited && problems.isEmpty();
        String figure = String.format(Locale.ROOT, "%s after %d s; terminate() returned in %.0f ms, stopped worker "
                + "gone %.0f ms after it was called; %s%s", waited ? "still waiting" : "NOT waiting", waitSeconds,
                terminateMillis, goneMillis, callOutcome, problems.isEmpty() ? "" : "; " + String.join("; ",
                        problems));
        return new Scenario.Result(String.format(Locale.ROOT, "pool(1); applyAsync(sleep 60 s), no timeout; SIGSTOP "
                + "of its worker; wait %d s, then terminate()", waitSeconds), figure, held);
    }
}
