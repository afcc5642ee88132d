package io.multiprocess.bench;

import io.multiprocess.BaseContext;
import io.multiprocess.ChildOutput;
import io.multiprocess.Diagnostics;
import io.multiprocess.Multiprocess;
import io.multiprocess.ProcessPool;
import io.multiprocess.pool.WorkerState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a {@link ProcessPool} of two workers costs per task, for {@code forkserver} and {@code spawn}: the round trip
 * of one {@code apply}, and the throughput of {@code map} and {@code imap} over tiny tasks, plus how long a new pool
 * takes to return its first result. bench/python/pool_bench.py runs the same work on Python's
 * {@code multiprocessing.Pool}, and bench/run-pool.sh prints both side by side, because "as Python's pool" is the
 * promise these figures check.
 *
 * <p>Plain Java, no JMH: each figure is a wall-clock time around calls made the way an application makes them.
 * Prints a Markdown table ({@code --json}: JSON for bench/run-pool.sh). Every worker JVM has exited before it
 * returns.
 */
public final class PoolBench {

    static final int PROCESSES = 2;
    private static final List<String> METHODS = List.of("forkserver", "spawn");
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    /** Calls timed on a warm worker, and on the one that replaced it. */
    private static final int RECYCLED_CALLS = 100;

    private PoolBench() {
    }

    public static void main(String[] args) throws Exception {
        PoolBenchOptions options = PoolBenchOptions.parse(args);
        if (options.relayOutput()) {
            for (String method : List.of("spawn", "forkserver")) {
                Multiprocess.getContext(method).setChildOutput(ChildOutput.LOG);
            }
        }
        Map<String, List<PoolMetric>> results = new LinkedHashMap<>();
        // What a service's first requests see: this JVM's first pool, on the default start method, before anything
        // else ran here.
        List<PoolMetric> firstCalls;
        BaseContext first = Multiprocess.getContext("forkserver");
        try (ProcessPool pool = first.pool(PROCESSES)) {
            firstCalls = new PoolWorkload(pool, options).firstCalls();
        }
        // Its spare would compete with the next pass for CPU.
        first.close();
        awaitNoChildren();
        // One unrecorded pass: otherwise the first start method measured pays for this JVM's own cold code (reducing
        // chunks, the scheduler, loading results) and the second does not.
        measure(Multiprocess.getContext("spawn"), options);
        awaitNoChildren();
        for (String method : METHODS) {
            List<PoolMetric> metrics = new ArrayList<>(method.equals("forkserver") ? firstCalls : List.of());
            metrics.addAll(measure(Multiprocess.getContext(method), options));
            results.put(method, metrics);
            awaitNoChildren();
        }
        if (options.json()) {
            System.out.println(json(results, options));
        } else {
            printMarkdown(results);
            System.out.println();
            System.out.println("child JVMs left running: " + Diagnostics.liveChildJvms().size());
        }
    }

    /** One pool for all the work of a start method, as an application keeps one; closed and its spares dropped. */
    private static List<PoolMetric> measure(BaseContext context, PoolBenchOptions options)
            throws InterruptedException {
        List<PoolMetric> metrics = new ArrayList<>();
        long before = System.nanoTime();
        ProcessPool pool = context.pool(PROCESSES);
        try {
            pool.apply(() -> null);
            double millis = (System.nanoTime() - before) / 1e6;
            metrics.add(new PoolMetric("create_ms", "pool(2) created → first apply result (ms)", millis, 1));
            BootedChildren.await();
            PoolWorkload workload = new PoolWorkload(pool, options);
            metrics.addAll(workload.applyRoundTrip());
            metrics.addAll(workload.mapDefaultChunksize());
            metrics.addAll(workload.mapChunksizeOne());
            metrics.addAll(workload.imapChunksizeOne());
        } finally {
            pool.close();
        }
        metrics.addAll(CpuScaling.measure(context, options));
        BootedChildren.await();
        metrics.add(1, createAgain(context));
        metrics.add(2, createPrewarmed(context));
        metrics.addAll(recycledWorker(context, options));
        BootedChildren.await();
        // forkserver keeps a warm spare after the pools' workers; it would compete with the next method for CPU.
        context.close();
        return metrics;
    }

    /**
     * A pool created when this context has created pools before, as a service creating one per job would: under
     * forkserver a warm spare is then ready (Python's forkserver likewise keeps its server process).
     */
    private static PoolMetric createAgain(BaseContext context) {
        long before = System.nanoTime();
        try (ProcessPool pool = context.pool(PROCESSES)) {
            pool.apply(() -> null);
            double millis = (System.nanoTime() - before) / 1e6;
            return new PoolMetric("create_again_ms", "another pool(2) of the same context created → first apply "
                    + "result (ms)", millis, 1);
        }
    }

    /**
     * A pool created once the context has its JVMs ready ({@code prewarm(2)}, as the starter's
     * {@code multiprocess.prewarm} does at application start): under forkserver both workers are warm spares handed
     * over at once; spawn has nothing to prepare and starts two fresh JVMs.
     */
    private static PoolMetric createPrewarmed(BaseContext context) {
        context.prewarm(PROCESSES).join();
        long before = System.nanoTime();
        try (ProcessPool pool = context.pool(PROCESSES)) {
            pool.apply(() -> null);
            double millis = (System.nanoTime() - before) / 1e6;
            return new PoolMetric("create_prewarmed_ms", "pool(2) created after prewarm(2) → first apply result "
                    + "(ms)", millis, 1);
        }
    }

    /**
     * What a replaced worker costs a service's next calls: a pool(1) warms its worker with the warm-up applies, then
     * times {@link #RECYCLED_CALLS} applies on it, recycles it, waits until the new JVM has taken its place (under
     * forkserver a warm spare) and nothing else boots, and times the new worker's first {@link #RECYCLED_CALLS}.
     */
    private static List<PoolMetric> recycledWorker(BaseContext context, PoolBenchOptions options)
            throws InterruptedException {
        try (ProcessPool pool = context.pool(1)) {
            for (int i = 0; i < options.warmupApplies(); i++) {
                pool.apply(() -> null);
            }
            Stats old = Stats.of(timeApplies(pool));
            long oldPid = pool.snapshot().workers().get(0).pid();
            pool.recycleWorker(oldPid);
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (pool.snapshot().workers().stream().noneMatch(worker -> worker.pid() != oldPid
                    && worker.state() == WorkerState.IDLE)) {
                if (System.nanoTime() - deadline > 0) {
                    throw new IllegalStateException("the recycled worker was not replaced in " + TIMEOUT.toSeconds()
                            + " s");
                }
                Thread.sleep(5);
            }
            BootedChildren.await();
            double[] recycledMicros = timeApplies(pool);
            Stats recycled = Stats.of(recycledMicros);
            String calls = RECYCLED_CALLS + " applies";
            return List.of(
                    new PoolMetric("old_worker_apply_median_us", "a warm worker's " + calls + ", round trip median "
                            + "(µs)", old.median(), old.n()),
                    new PoolMetric("recycled_worker_first_apply_us", "a recycled worker's first apply, round trip "
                            + "(µs)", recycledMicros[0], 1),
                    new PoolMetric("recycled_worker_apply_median_us", "a recycled worker's first " + calls
                            + ", round trip median (µs)", recycled.median(), recycled.n()));
        }
    }

    private static double[] timeApplies(ProcessPool pool) {
        double[] micros = new double[RECYCLED_CALLS];
        for (int i = 0; i < micros.length; i++) {
            long before = System.nanoTime();
            pool.apply(() -> null);
            micros[i] = (System.nanoTime() - before) / 1e3;
        }
        return micros;
    }

    private static void awaitNoChildren() throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!Diagnostics.liveChildJvms().isEmpty()) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("child JVMs still running after " + TIMEOUT.toSeconds() + " s: "
                        + Diagnostics.liveChildJvms());
            }
            Thread.sleep(5);
        }
    }

    private static void printMarkdown(Map<String, List<PoolMetric>> results) {
        System.out.println();
        System.out.println("| metric | ours | n |");
        System.out.println("|---|---:|---:|");
        results.forEach((method, metrics) -> metrics.forEach(metric -> System.out.println(String.format(Locale.ROOT,
                "| %s: %s | %s | %d |", method, metric.label(), format(metric.value()), metric.n()))));
    }

    static String format(double value) {
        return value >= 1000 ? String.format(Locale.ROOT, "%,.0f", value) : String.format(Locale.ROOT, "%.1f", value);
    }

    /** Hand-written, as the bench has no JSON library; keys and labels are ours, so no quotes need escaping. */
    private static String json(Map<String, List<PoolMetric>> results, PoolBenchOptions options) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "{\"runtime\": \"Java %s (%s)\", \"processes\": %d, \"items\": %d,"
                + " \"results\": {", System.getProperty("java.version"), System.getProperty("java.vm.name"),
                PROCESSES, options.items()));
        String methodSeparator = "";
        for (Map.Entry<String, List<PoolMetric>> entry : results.entrySet()) {
            out.append(methodSeparator).append('"').append(entry.getKey()).append("\": {");
            String separator = "";
            for (PoolMetric metric : entry.getValue()) {
                String spread = Double.isNaN(metric.min()) ? "" : String.format(Locale.ROOT,
                        ", \"min\": %.3f, \"max\": %.3f", metric.min(), metric.max());
                out.append(String.format(Locale.ROOT, "%s\"%s\": {\"value\": %.3f, \"n\": %d%s, \"label\": \"%s\"}",
                        separator, metric.key(), metric.value(), metric.n(), spread, metric.label()));
                separator = ", ";
            }
            out.append('}');
            methodSeparator = ", ";
        }
        return asciiOnly(out.append("}}").toString());
    }

    /** Labels hold µ and →; escaped, the JSON reads the same whatever charset this JVM's stdout has. */
    static String asciiOnly(String json) {
        StringBuilder out = new StringBuilder(json.length());
        json.chars().forEach(c -> out.append(c < 128 ? String.valueOf((char) c) : String.format("\\u%04x", c)));
        return out.toString();
    }
}
