package io.multiprocess.sample;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The work the sample sends to worker JVMs: plain static code, so each task is a small lambda calling it. */
final class Work {

    private static final Logger LOG = LoggerFactory.getLogger(Work.class);

    private Work() {
    }

    /**
     * CPU-bound on purpose: trial division. Its log line reaches the service's log from the worker JVM, structured,
     * with the request's traceId and spanId.
     */
    static int countPrimes(int limit) {
        LOG.info("counting the primes below {}", limit);
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

    /** What a native crash or a library calling exit does to a JVM: it is gone at once, without cleanup. */
    static int crash() {
        System.err.println("about to take this worker JVM down");
        Runtime.getRuntime().halt(134);
        return 0;
    }

    /** Never set: the JIT cannot prove the loop below ends, so it really spins. */
    private static volatile boolean stop;

    /** Work that never finishes on its own (a CPU-bound loop): only killing its JVM stops it. */
    static int runaway() {
        long spins = 0;
        while (!stop) {
            spins++;
        }
        return (int) spins;
    }
}
