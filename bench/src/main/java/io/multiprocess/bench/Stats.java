package io.multiprocess.bench;

import java.util.Arrays;

/** Median, min, p90 and max of a sample; the nearest-rank method, so every figure is one that was measured. */
record Stats(double median, double min, double p90, double max, int n) {

    static Stats of(double[] values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("no values");
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return new Stats(percentile(sorted, 50), sorted[0], percentile(sorted, 90), sorted[sorted.length - 1],
                sorted.length);
    }

    private static double percentile(double[] sorted, int p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }
}
