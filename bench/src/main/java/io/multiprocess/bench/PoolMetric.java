package io.multiprocess.bench;

/**
 * One figure of {@link PoolBench}. The key is shared with bench/python/pool_bench.py, so bench/run-pool.sh can put
 * our figure and Python's on one row.
 *
 * @param key stable name, e.g. {@code apply_median_us}
 * @param label what a reader sees in the table, with its unit
 * @param value the figure
 * @param n how many measurements it summarizes
 */
record PoolMetric(String key, String label, double value, int n) {
}
