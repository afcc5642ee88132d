package io.multiprocess.bench;

import io.multiprocess.BaseContext;
import io.multiprocess.Diagnostics;
import io.multiprocess.MpProcess;
import io.multiprocess.Multiprocess;
import io.multiprocess.sharedctypes.CType;
import io.multiprocess.sharedctypes.IntValue;
import io.multiprocess.sharedctypes.LongArray;
import io.multiprocess.synchronize.Barrier;
import io.multiprocess.synchronize.Held;
import io.multiprocess.synchronize.Lock;
import io.multiprocess.synchronize.RLock;
import io.multiprocess.synchronize.Semaphore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What an uncontended {@code acquire()} followed by {@code release()} costs, for a {@link Lock}, an {@link RLock}
 * and a {@link Semaphore} created by the parent and used in a child process, as an application uses them.
 * bench/python/lock_bench.py measures Python's {@code multiprocessing} objects the same way, and bench/run-sync.sh
 * prints both side by side.
 *
 * <p>The child runs {@code pairs} acquire+release pairs per repetition, timed with {@link System#nanoTime()}, first
 * {@code warmup} unmeasured repetitions (the JIT compiles the loop), then {@code reps} measured ones; the figure is
 * the median repetition's time per pair, in ns. Plain Java, no JMH: the loop is the call as written in an
 * application. Prints a Markdown table ({@code --json}: JSON for bench/run-sync.sh).
 *
 * <p>Shared values the same way: {@code get()} and {@code set()} of an {@link IntValue} made by {@code ctx.value}
 * (each takes its lock, as Python's {@code Value('i').value} does) and by {@code ctx.rawValue}, in a child, ns per
 * call; and the total rate of {@code with v.get_lock(): v.value += 1} done by 4 child processes at once
 * ({@code increments} each), from the first process's start to the last one's end (monotonic clock, the same in
 * every process), in increments per second.
 */
public final class LockBench {

    private static final Duration TIMEOUT = Duration.ofMinutes(10);

    private LockBench() {
    }

    public static void main(String[] args) throws Exception {
        LockBenchOptions options = LockBenchOptions.parse(args);
        BaseContext ctx = Multiprocess.getContext();
        Lock lock = ctx.lock();
        RLock rlock = ctx.rlock();
        Semaphore semaphore = ctx.semaphore(1);
        Path out = Files.createTempFile("multiprocess-lock-bench", ".txt");
        try {
            String file = out.toString();
            int warmup = options.warmupReps();
            int reps = options.reps();
            int pairs = options.pairs();
            IntValue value = ctx.value(CType.INT, 0);
            IntValue raw = ctx.rawValue(CType.INT, 0);
            MpProcess child = ctx.process(() -> Files.writeString(Path.of(file), String.format(Locale.ROOT,
                    "%f %f %f %f %f %f %f", nanosPerPair(lock, warmup, reps, pairs),
                    nanosPerPair(rlock, warmup, reps, pairs), nanosPerPair(semaphore, warmup, reps, pairs),
                    nanosPerGet(value, warmup, reps, pairs), nanosPerSet(value, warmup, reps, pairs),
                    nanosPerGet(raw, warmup, reps, pairs), nanosPerSet(raw, warmup, reps, pairs))));
            child.start();
            if (!child.join(TIMEOUT) || child.exitCode() != 0) {
                child.kill();
                throw new IllegalStateException("the measuring child failed: " + child);
            }
            String[] figures = Files.readString(out).split(" ");
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"lock_ns", "Lock acquire()+release(), uncontended, in a child (ns)", figures[0]});
            rows.add(new String[] {"rlock_ns", "RLock acquire()+release(), uncontended, in a child (ns)", figures[1]});
            rows.add(new String[] {"semaphore_ns", "Semaphore(1) acquire()+release(), uncontended, in a child (ns)",
                figures[2]});
            rows.add(new String[] {"value_get_ns", "Value int get() (takes its lock), in a child (ns)", figures[3]});
            rows.add(new String[] {"value_set_ns", "Value int set() (takes its lock), in a child (ns)", figures[4]});
            rows.add(new String[] {"rawvalue_get_ns", "RawValue int get(), in a child (ns)", figures[5]});
            rows.add(new String[] {"rawvalue_set_ns", "RawValue int set(), in a child (ns)", figures[6]});
            rows.add(new String[] {"locked_increments_per_s", "4 processes x " + options.increments()
                + " increments under getLock(), total (increments/s)",
                Double.toString(lockedIncrementsPerSecond(ctx, 4, options.increments()))});
            print(rows, options);
        } finally {
            Files.deleteIfExists(out);
            ctx.close();
        }
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!Diagnostics.liveChildJvms().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
    }

    /** {@code processes} children increment one shared int under its lock, all at once; increments per second. */
    static double lockedIncrementsPerSecond(BaseContext ctx, int processes, int increments) {
        IntValue counter = ctx.value(CType.INT, 0);
        LongArray times = ctx.rawArray(CType.LONG, 2 * processes);
        Barrier start = ctx.barrier(processes);
        List<MpProcess> children = new ArrayList<>();
        for (int p = 0; p < processes; p++) {
            int slot = p;
            MpProcess child = ctx.process(() -> {
                start.await();
                times.set(2 * slot, System.nanoTime());
                for (int i = 0; i < increments; i++) {
                    try (Held held = counter.getLock().hold()) {
                        counter.set(counter.get() + 1);
                    }
                }
                times.set(2 * slot + 1, System.nanoTime());
            });
            child.start();
            children.add(child);
        }
        for (MpProcess child : children) {
            if (!child.join(TIMEOUT) || child.exitCode() != 0) {
                children.forEach(MpProcess::kill);
                throw new IllegalStateException("an incrementing child failed: " + child);
            }
        }
        if (counter.get() != processes * increments) {
            throw new IllegalStateException("lost increments: " + counter.get() + " instead of "
                    + processes * increments);
        }
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        for (int p = 0; p < processes; p++) {
            first = Math.min(first, times.get(2 * p));
            last = Math.max(last, times.get(2 * p + 1));
        }
        return processes * (double) increments / ((last - first) / 1e9);
    }

    static double nanosPerGet(IntValue value, int warmup, int reps, int calls) {
        double[] nanos = new double[reps];
        int sink = 0;
        for (int r = -warmup; r < reps; r++) {
            long started = System.nanoTime();
            for (int i = 0; i < calls; i++) {
                sink += value.get();
            }
            if (r >= 0) {
                nanos[r] = (System.nanoTime() - started) / (double) calls;
            }
        }
        if (sink == 42) {
            System.out.print("");                  // keeps the reads from being optimized away
        }
        return Stats.of(nanos).median();
    }

    static double nanosPerSet(IntValue value, int warmup, int reps, int calls) {
        double[] nanos = new double[reps];
        for (int r = -warmup; r < reps; r++) {
            long started = System.nanoTime();
            for (int i = 0; i < calls; i++) {
                value.set(i);
            }
            if (r >= 0) {
                nanos[r] = (System.nanoTime() - started) / (double) calls;
            }
        }
        return Stats.of(nanos).median();
    }

    // One method per type, so each loop's calls have one receiver class and are inlined as an application's are.

    static double nanosPerPair(Lock lock, int warmup, int reps, int pairs) {
        double[] nanos = new double[reps];
        for (int r = -warmup; r < reps; r++) {
            long started = System.nanoTime();
            for (int i = 0; i < pairs; i++) {
                lock.acquire();
                lock.release();
            }
            if (r >= 0) {
                nanos[r] = (System.nanoTime() - started) / (double) pairs;
            }
        }
        return Stats.of(nanos).median();
    }

    static double nanosPerPair(RLock lock, int warmup, int reps, int pairs) {
        double[] nanos = new double[reps];
        for (int r = -warmup; r < reps; r++) {
            long started = System.nanoTime();
            for (int i = 0; i < pairs; i++) {
                lock.acquire();
                lock.release();
            }
            if (r >= 0) {
                nanos[r] = (System.nanoTime() - started) / (double) pairs;
            }
        }
        return Stats.of(nanos).median();
    }

    static double nanosPerPair(Semaphore semaphore, int warmup, int reps, int pairs) {
        double[] nanos = new double[reps];
        for (int r = -warmup; r < reps; r++) {
            long started = System.nanoTime();
            for (int i = 0; i < pairs; i++) {
                semaphore.acquire();
                semaphore.release();
            }
            if (r >= 0) {
                nanos[r] = (System.nanoTime() - started) / (double) pairs;
            }
        }
        return Stats.of(nanos).median();
    }

    private static void print(List<String[]> rows, LockBenchOptions options) {
        if (options.json()) {
            StringBuilder json = new StringBuilder(String.format(Locale.ROOT,
                    "{\"runtime\": \"Java %s (%s)\", \"pairs\": %d, \"reps\": %d, \"results\": {",
                    System.getProperty("java.version"), System.getProperty("java.vm.name"), options.pairs(),
                    options.reps()));
            String separator = "";
            for (String[] row : rows) {
                json.append(String.format(Locale.ROOT, "%s\"%s\": {\"value\": %s, \"label\": \"%s\"}", separator,
                        row[0], row[2], row[1]));
                separator = ", ";
            }
            System.out.println(json.append("}}"));
            return;
        }
        System.out.println();
        System.out.println("| metric | ours |");
        System.out.println("|---|---:|");
        for (String[] row : rows) {
            double figure = Double.parseDouble(row[2]);
            System.out.println(String.format(Locale.ROOT, figure >= 1000 ? "| %s | %,.0f |" : "| %s | %.1f |", row[1],
                    figure));
        }
        System.out.println();
        System.out.println("median of " + options.reps() + " repetitions of " + options.pairs() + " pairs, after "
                + options.warmupReps() + " unmeasured; Java " + System.getProperty("java.version"));
    }
}
