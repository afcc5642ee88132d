package io.multiprocess.testing;

import java.lang.management.ManagementFactory;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * Runs fuzz inputs one at a time on a thread of their own, with a deadline (no hang), the bytes that thread
 * allocated measured against a bound, and the outcomes counted for the figures.
 *
 * <p>Tries: {@code jqwik.tries.default} (src/test/resources/junit-platform.properties for the unit suite; pass
 * {@code -Djqwik.tries.default=100000} for the reliability run). The counts are printed at the end of each fuzz
 * class as lines starting with {@code FUZZ}.
 */
public final class Fuzzing {

    /** Generous: an input is a few hundred bytes; this only proves "no hang". */
    private static final long DEADLINE_SECONDS = 20;
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private final String target;
    private final Predicate<Throwable> documented;
    private final ExecutorService thread;
    private final Map<String, Long> outcomes = new TreeMap<>();
    private long tries;
    private long inputBytes;
    private long mostAllocated;
    private int mostAllocatedLength;
    private double worstRatio;

    /**
     * @param documented the exceptions a bad input may end in; anything else, an Error above all, fails the try
     */
    public Fuzzing(String target, Predicate<Throwable> documented) {
        this.target = target;
        this.documented = documented;
        this.thread = Executors.newSingleThreadExecutor(runnable -> {
            Thread t = new Thread(runnable, "fuzz-" + target);
            t.setDaemon(true);
            return t;
        });
    }

    /** The result of one try run by {@link #attempt}. */
    public record Result(String outcome, long allocated) {
    }

    /**
     * Runs {@code attempt} for an input of {@code input.length} bytes: it returns the name of a success outcome, or
     * throws. Fails (AssertionError) on an undocumented exception, a hang, or more than {@code bound} bytes
     * allocated by the attempt's thread.
     */
    public synchronized Result attempt(byte[] input, long bound, Callable<String> attempt) {
        Future<Object[]> future = thread.submit(() -> {
            long before = THREADS.getCurrentThreadAllocatedBytes();
            Object outcome;
            try {
                outcome = attempt.call();
            } catch (Throwable t) {
                outcome = t;
            }
            long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
            return new Object[] {outcome, allocated};
        });
        Object[] done;
        try {
            done = future.get(DEADLINE_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new AssertionError(target + ": an input hung for " + DEADLINE_SECONDS + " s: " + hex(input));
        } catch (InterruptedException | ExecutionException e) {
            throw new AssertionError(target + ": the fuzz thread failed", e);
        }
        long allocated = (long) done[1];
        String outcome;
        if (done[0] instanceof Throwable thrown) {
            if (!documented.test(thrown)) {
                throw new AssertionError(target + ": an input ended in an undocumented " + thrown + ": "
                        + hex(input), thrown);
            }
            outcome = thrown.getClass().getSimpleName();
        } else {
            outcome = String.valueOf(done[0]);
        }
        tries++;
        inputBytes += input.length;
        outcomes.merge(outcome, 1L, Long::sum);
        if (allocated > mostAllocated) {
            mostAllocated = allocated;
            mostAllocatedLength = input.length;
        }
        worstRatio = Math.max(worstRatio, (double) allocated / Math.max(1, input.length));
        if (allocated > bound) {
            throw new AssertionError(target + ": an input of " + input.length + " bytes made the reader allocate "
                    + allocated + " bytes, more than the bound of " + bound + " (outcome " + outcome + "): "
                    + hex(input));
        }
        return new Result(outcome, allocated);
    }

    /** Prints the counts, one line, and stops the thread. */
    public synchronized void report() {
        System.out.printf("FUZZ %s: %d inputs (%d bytes in all), outcomes %s; most allocated by one input %d bytes"
                + " (an input of %d bytes); worst allocated/input bytes %.0f%n", target, tries, inputBytes, outcomes,
                mostAllocated, mostAllocatedLength, worstRatio);
        thread.shutdownNow();
    }

    private static String hex(byte[] input) {
        return input.length <= 2048 ? HexFormat.of().formatHex(input) : input.length + " bytes";
    }
}
