package io.multiprocess.bench;

/**
 * One figure of {@link PoolBench} or {@link ConnectionBench}. The key is shared with the Python script that does the
 * same work (bench/python/pool_bench.py, connection_bench.py), so bench/run-pool.sh and bench/run-connection.sh can
 * put our figure and Python's on one row.
 *
 * @param key stable name, e.g. {@code apply_median_us}
 * @param label what a reader sees in the table, with its unit
 * @param value the figure
 * @param n how many measurements it summarizes
 * @param min the lowest of the measurements the value is the median of, or NaN when it is no median of runs
 * @param max the highest of them, or NaN
 */
record PoolMetric(String key, String label, double value, int n, double min, double max) {

    PoolMetric(String key, String label, double value, int n) {
        this(key, label, value, n, Double.NaN, Double.NaN);
    }

    /** The median of {@code stats}, with their spread. */
    static PoolMetric medianOf(String key, String label, Stats stats) {
        return new PoolMetric(key, label, stats.median(), stats.n(), stats.min(), stats.max());
    }
}
