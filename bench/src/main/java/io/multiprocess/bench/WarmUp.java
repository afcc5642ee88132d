package io.multiprocess.bench;

import java.time.Duration;

/**
 * The warm-up rule of the pool benches, the same on the Python side (bench/python/warmup.py): unmeasured runs until
 * at least one has run and at least {@link #DURATION} has passed. A fixed count of runs was not enough for the JVM: one 20 ms map gave the
 * workers' JIT too little to compile, and the first measured runs then took twice the steady time; Python, with
 * nothing to compile, is steady after one run either way.
 */
final class WarmUp {

    /**
     * One second, or {@code $BENCH_WARM_UP_SECONDS} (bench/run-all.sh --short sets 0: a smoke run proves the harness
     * works, its figures mean nothing, so one unmeasured run is enough).
     */
    static final Duration DURATION = Duration.ofMillis(Math.round(1000 * Double.parseDouble(
            System.getenv().getOrDefault("BENCH_WARM_UP_SECONDS", "1"))));

    private WarmUp() {
    }

    static void run(Runnable once) {
        long until = System.nanoTime() + DURATION.toNanos();
        do {
            once.run();
        } while (System.nanoTime() < until);
    }
}
