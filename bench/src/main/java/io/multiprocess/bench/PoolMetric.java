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
 */
record PoolMetric(String key, String label, double value, int n) {
}
