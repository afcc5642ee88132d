package io.multiprocess.bench;

import io.multiprocess.BaseContext;
import io.multiprocess.MpProcess;
import io.multiprocess.Multiprocess;
import io.multiprocess.process.ChildJvm;
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
            MpProcess child = ctx.process(() -> Files.writeString(Path.of(file), String.format(Locale.ROOT,
                    "%f %f %f", nanosPerPair(lock, warmup, reps, pairs), nanosPerPair(rlock, warmup, reps, pairs),
                    nanosPerPair(semaphore, warmup, reps, pairs))));
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
            print(rows, options);
        } finally {
            Files.deleteIfExists(out);
            ctx.close();
        }
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!ChildJvm.live().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
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
            System.out.println(String.format(Locale.ROOT, "| %s | %.1f |", row[1], Double.parseDouble(row[2])));
        }
        System.out.println();
        System.out.println("median of " + options.reps() + " repetitions of " + options.pairs() + " pairs, after "
                + options.warmupReps() + " unmeasured; Java " + System.getProperty("java.version"));
    }
}
