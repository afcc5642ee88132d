package io.multiprocess.bench;

import java.time.Duration;

/**
 * The warm-up rule of the pool benches, the same on the Python side: unmeasured runs until at least one has run and
 * at least {@link #DURATION} has passed. A fixed count of runs was not enough for the JVM: one 20 ms map gave the
 * workers' JIT too little to compile, and the first measured runs then took twice the steady time; Python, with
 * nothing to compile, is steady after one run either way.
 */
final class WarmUp {

    static final Duration DURATION = Duration.ofSeconds(1);

    private WarmUp() {
    }

    static void run(Runnable once) {
        long until = System.nanoTime() + DURATION.toNanos();
        do {
            once.run();
        } while (System.nanoTime() < until);
    }
}
