package io.multiprocess.bench;

import io.multiprocess.ProcessPool;
import io.multiprocess.function.SerializableFunction;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * The work {@link PoolBench} runs on one pool, the same as bench/python/pool_bench.py runs on Python's: tasks so
 * small that the figures are the pool's own cost (sending the task, running it in a worker, returning the result),
 * not the work's.
 */
final class PoolWorkload {

    /** Trivial on purpose; a static field, so it captures nothing and costs the same to send on every call. */
    private static final SerializableFunction<Integer, Integer> INCREMENT = x -> x + 1;

    private final ProcessPool pool;
    private final PoolBenchOptions options;
    private final List<Integer> items;

    PoolWorkload(ProcessPool pool, PoolBenchOptions options) {
        this.pool = pool;
        this.options = options;
        this.items = IntStream.range(0, options.items()).boxed().toList();
    }

    /**
     * What a service sees on its first calls: the first {@code appliesPerRound} applies and the first three maps
     * (default chunksize) on this pool, with nothing run before them. Meant for the first pool of a fresh JVM,
     * whose code (this JVM's and the new workers') is not compiled yet.
     */
    List<PoolMetric> firstCalls() {
        double[] micros = new double[options.appliesPerRound()];
        for (int i = 0; i < micros.length; i++) {
            long before = System.nanoTime();
            pool.apply(() -> null);
            micros[i] = (System.nanoTime() - before) / 1e3;
        }
        Stats applies = Stats.of(micros);
        String first = "first " + String.format(Locale.ROOT, "%,d", micros.length) + " applies of a fresh JVM";
        List<PoolMetric> metrics = new ArrayList<>(List.of(
                new PoolMetric("first_apply_median_us", first + ", round trip median (µs)", applies.median(),
                        applies.n()),
                new PoolMetric("first_apply_p90_us", first + ", round trip p90 (µs)", applies.p90(), applies.n())));
        for (int map = 1; map <= 3; map++) {
            long before = System.nanoTime();
            check(pool.map(INCREMENT, items), "map " + map + " of a fresh JVM");
            double seconds = (System.nanoTime() - before) / 1e9;
            metrics.add(new PoolMetric("first_map" + map + "_tps", List.of("first", "second", "third").get(map - 1)
                    + " map of a fresh JVM, default chunksize, over " + String.format(Locale.ROOT, "%,d", items.size())
                    + " ints (tasks/s)", items.size() / seconds, 1));
        }
        return metrics;
    }

    /**
     * Sequential {@code apply} of a no-op, one call at a time, so each figure is one full round trip. Median and
     * p90 are over every measured call of every round (not a median of round medians).
     */
    List<PoolMetric> applyRoundTrip() {
        for (int i = 0; i < options.warmupApplies(); i++) {
            pool.apply(() -> null);
        }
        int perRound = options.appliesPerRound();
        double[] micros = new double[options.applyRounds() * perRound];
        for (int round = 0; round < options.applyRounds(); round++) {
            for (int i = 0; i < perRound; i++) {
                long before = System.nanoTime();
                pool.apply(() -> null);
                micros[round * perRound + i] = (System.nanoTime() - before) / 1e3;
            }
        }
        Stats stats = Stats.of(micros);
        return List.of(
                new PoolMetric("apply_median_us", "apply(no-op) round trip, median (µs)", stats.median(), stats.n()),
                new PoolMetric("apply_p90_us", "apply(no-op) round trip, p90 (µs)", stats.p90(), stats.n()));
    }

    /** {@code map} with Python's default chunksize ({@code len / (4 * processes)}, rounded up). */
    List<PoolMetric> mapDefaultChunksize() {
        return throughput("map_default", "map, default chunksize", () -> pool.map(INCREMENT, items));
    }

    List<PoolMetric> mapChunksizeOne() {
        return throughput("map_cs1", "map, chunksize 1", () -> pool.map(INCREMENT, items, 1));
    }

    /** Consumed fully on this thread, as a caller iterating the results would. */
    List<PoolMetric> imapChunksizeOne() {
        return throughput("imap_cs1", "imap, chunksize 1", () -> {
            List<Integer> results = new ArrayList<>(items.size());
            for (Iterator<Integer> it = pool.imap(INCREMENT, items, 1); it.hasNext(); ) {
                results.add(it.next());
            }
            return results;
        });
    }

    /** The {@link WarmUp} runs, then the measured ones; every run's results are checked, so a broken run is not timed. */
    private List<PoolMetric> throughput(String key, String label, RunOnce run) {
        WarmUp.run(() -> check(run.results(), label));
        double[] perSecond = new double[options.repetitions()];
        double[] millis = new double[options.repetitions()];
        for (int i = 0; i < perSecond.length; i++) {
            long before = System.nanoTime();
            List<Integer> results = run.results();
            long nanos = System.nanoTime() - before;
            check(results, label);
            millis[i] = nanos / 1e6;
            perSecond[i] = items.size() / (nanos / 1e9);
        }
        Stats rate = Stats.of(perSecond);
        Stats wall = Stats.of(millis);
        String over = String.format(Locale.ROOT, "%s over %,d ints", label, items.size());
        return List.of(
                PoolMetric.medianOf(key + "_tps", over + ", median (tasks/s)", rate),
                PoolMetric.medianOf(key + "_ms", over + ", median wall time (ms)", wall));
    }

    /** Every result, not a sample: a pool that lost or reordered an item must not be reported as fast. */
    private void check(List<Integer> results, String label) {
        boolean right = results.size() == items.size();
        for (int i = 0; right && i < results.size(); i++) {
            right = results.get(i) == i + 1;
        }
        if (!right) {
            throw new IllegalStateException(label + " returned wrong results (" + results.size() + " of "
                    + items.size() + " items)");
        }
    }

    /** A measured run; returns the results so they can be checked. */
    @FunctionalInterface
    private interface RunOnce {
        List<Integer> results();
    }
}
