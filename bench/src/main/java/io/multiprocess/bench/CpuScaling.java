package io.multiprocess.bench;

import io.multiprocess.BaseContext;
import io.multiprocess.ProcessPool;
import io.multiprocess.function.SerializableFunction;
import java.util.Collections;
import java.util.List;

/**
 * What a second worker buys for CPU-bound work: the same {@code map} of a prime count over a few equal items, on a
 * pool of 1 worker and on a pool of 2, each after the {@link WarmUp} runs. One unmeasured run was not enough: each
 * of the 2 workers had run only half the items, and the first five measured runs of the 2-worker pool took twice
 * as long as the rest while C2 still compiled the loop in both JVMs. bench/python/pool_bench.py runs the same work,
 * warms up by the same rule and reports the same keys.
 */
final class CpuScaling {

    private static final SerializableFunction<Integer, Integer> COUNT_PRIMES = CpuScaling::primesBelow;

    private CpuScaling() {
    }

    static List<PoolMetric> measure(BaseContext context, PoolBenchOptions options) throws InterruptedException {
        List<Integer> items = Collections.nCopies(options.cpuItems(), options.cpuLimit());
        int expected = primesBelow(options.cpuLimit());
        Stats one = timeMap(context, 1, items, expected, options.repetitions());
        Stats two = timeMap(context, 2, items, expected, options.repetitions());
        String work = String.format(java.util.Locale.ROOT, "map of %d prime counts below %,d", items.size(),
                options.cpuLimit());
        return List.of(
                new PoolMetric("cpu_1w_ms", work + ", 1 worker, median wall time (ms)", one.median(), one.n()),
                new PoolMetric("cpu_2w_ms", work + ", 2 workers, median wall time (ms)", two.median(), two.n()),
                new PoolMetric("cpu_speedup_x", work + ", speed-up of 2 workers over 1 (×)",
                        one.median() / two.median(), two.n()));
    }

    private static Stats timeMap(BaseContext context, int workers, List<Integer> items, int expected, int reps)
            throws InterruptedException {
        try (ProcessPool pool = context.pool(workers)) {
            WarmUp.run(() -> run(pool, items, expected));
            BootedChildren.await();
            double[] millis = new double[reps];
            for (int i = 0; i < reps; i++) {
                long before = System.nanoTime();
                run(pool, items, expected);
                millis[i] = (System.nanoTime() - before) / 1e6;
            }
            return Stats.of(millis);
        }
    }

    private static void run(ProcessPool pool, List<Integer> items, int expected) {
        List<Integer> counts = pool.map(COUNT_PRIMES, items, 1);
        if (counts.size() != items.size() || counts.stream().anyMatch(count -> count != expected)) {
            throw new IllegalStateException("the CPU-bound map returned wrong counts: " + counts);
        }
    }

    /** Trial division, on purpose: the same loop Python runs, all arithmetic, no allocation. */
    static int primesBelow(int limit) {
        int count = 0;
        for (int n = 2; n < limit; n++) {
            boolean prime = true;
            for (int d = 2; d * d <= n; d++) {
                if (n % d == 0) {
                    prime = false;
                    break;
                }
            }
            if (prime) {
                count++;
            }
        }
        return count;
    }
}
