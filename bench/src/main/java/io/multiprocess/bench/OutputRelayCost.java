package io.multiprocess.bench;

import io.multiprocess.BaseContext;
import io.multiprocess.ChildOutput;
import io.multiprocess.Multiprocess;
import io.multiprocess.ProcessPool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * What relaying the workers' output into the parent's logging costs, measured in one JVM so that JIT, CPU frequency
 * and the machine's other load weigh on both sides alike: two pools of two forkserver workers, one whose workers'
 * stdout is inherited, one whose lines are relayed (ChildOutput.LOG), measured in alternating rounds (the order
 * swapped every round). Three workloads: an apply that prints nothing, an apply that prints one line (and a map's
 * throughput, no output). The parent's SLF4J binding (slf4j-simple) writes to {@code -Dorg.slf4j.simpleLogger.logFile}
 * and the inherited lines go to this JVM's stdout: bench/run-relay-cost.sh sends both to /dev/null, and the figures
 * to the file named by the first argument.
 *
 * <p>Arguments: {@code out-file [rounds] [applies] [items]}.
 */
public final class OutputRelayCost {

    private OutputRelayCost() {
    }

    public static void main(String[] args) throws IOException {
        Path out = Path.of(args[0]);
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int applies = args.length > 2 ? Integer.parseInt(args[2]) : 2000;
        int items = args.length > 3 ? Integer.parseInt(args[3]) : 200_000;
        BaseContext inherit = Multiprocess.newContext("forkserver");
        BaseContext relay = Multiprocess.newContext("forkserver");
        relay.setChildOutput(ChildOutput.LOG);
        List<Integer> input = IntStream.range(0, items).boxed().toList();
        List<String> lines = new ArrayList<>();
        try (ProcessPool a = inherit.pool(2); ProcessPool b = relay.pool(2)) {
            ProcessPool[] pools = {a, b};
            for (ProcessPool pool : pools) {
                for (int i = 0; i < 5000; i++) {
                    pool.apply(() -> null);
                    pool.apply(() -> {
                        System.out.println("a line from the task");
                        return null;
                    });
                }
                for (int i = 0; i < 5; i++) {
                    pool.map(x -> x, input);
                }
            }
            double[][] quiet = new double[2][rounds];
            double[][] printing = new double[2][rounds];
            double[][] map = new double[2][rounds];
            for (int round = 0; round < rounds; round++) {
                for (int k = 0; k < 2; k++) {
                    int side = (round % 2 == 0) ? k : 1 - k;
                    ProcessPool pool = pools[side];
                    quiet[side][round] = medianApplyMicros(pool, applies, false);
                    printing[side][round] = medianApplyMicros(pool, applies, true);
                    long start = System.nanoTime();
                    pool.map(x -> x, input);
                    map[side][round] = items / ((System.nanoTime() - start) / 1e9);
                }
            }
            lines.add("| measure (" + rounds + " alternating rounds; median of rounds [min, max]) | inherited | "
                    + "relayed | relayed/inherited, median of per-round ratios [min, max] |");
            lines.add("|---|---:|---:|---:|");
            lines.add(row("apply round trip, task prints nothing, median of " + applies + " (µs)", quiet));
            lines.add(row("apply round trip, task prints one line, median of " + applies + " (µs)", printing));
            lines.add(row("map of " + items + " ints, default chunksize (tasks/s)", map));
        } finally {
            inherit.close();
            relay.close();
        }
        Files.write(out, lines);
    }

    private static double medianApplyMicros(ProcessPool pool, int applies, boolean print) {
        double[] micros = new double[applies];
        for (int i = 0; i < applies; i++) {
            long start = System.nanoTime();
            if (print) {
                pool.apply(() -> {
                    System.out.println("a line from the task");
                    return null;
                });
            } else {
                pool.apply(() -> null);
            }
            micros[i] = (System.nanoTime() - start) / 1e3;
        }
        return Stats.of(micros).median();
    }

    private static String row(String label, double[][] sides) {
        double[] ratios = new double[sides[0].length];
        for (int i = 0; i < ratios.length; i++) {
            ratios[i] = sides[1][i] / sides[0][i];
        }
        return "| " + label + " | " + spread(sides[0]) + " | " + spread(sides[1]) + " | " + spread(ratios) + " |";
    }

    private static String spread(double[] values) {
        double[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        return format(Stats.of(values).median()) + " [" + format(sorted[0]) + ", " + format(sorted[sorted.length - 1])
                + "]";
    }

    private static String format(double value) {
        return value >= 1000 ? String.format(Locale.ROOT, "%,.0f", value) : String.format(Locale.ROOT, "%.2f", value);
    }
}
