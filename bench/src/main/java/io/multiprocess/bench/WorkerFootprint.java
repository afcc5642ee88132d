package io.multiprocess.bench;

import io.multiprocess.BaseContext;
import io.multiprocess.Multiprocess;
import io.multiprocess.ProcessPool;
import io.multiprocess.pool.PoolOptions;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * What an idle pool worker costs, beside a bare JVM that only sleeps, for sets of worker JVM flags: private memory
 * and PSS from {@code /proc/PID/smaps_rollup} (RSS too, which counts the pages shared with other JVMs whole),
 * threads, and the CPU time the JVM took to start, run one task and idle one second.
 *
 * <p>Each round measures every set, in turn: a bare JVM with the set's flags, then a forkserver context with the set
 * as its JVM arguments and a pool(1) that ran one apply. Arguments: {@code out-file rounds set...}, each set one
 * argument of space-separated flags, given to both JVMs; {@code default} is none, so the worker has the library's
 * defaults and the bare JVM the JVM's own.
 */
public final class WorkerFootprint {

    private static final long IDLE_MILLIS = 1000;
    private static final int WORKERS = 2;
    private static final List<Integer> ALLOCATING_ITEMS = IntStream.range(0, 1_200).boxed().toList();

    private WorkerFootprint() {
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        int rounds = Integer.parseInt(args[1]);
        List<String> sets = List.of(args).subList(2, args.length);
        List<List<ProcStatus.Footprint>> bare = new ArrayList<>();
        List<List<ProcStatus.Footprint>> worker = new ArrayList<>();
        List<double[]> allocating = new ArrayList<>();
        for (int i = 0; i < sets.size(); i++) {
            bare.add(new ArrayList<>());
            worker.add(new ArrayList<>());
            allocating.add(new double[rounds]);
        }
        // Unmeasured: the startup archive is trained.
        workerFootprint(List.of());
        for (int round = 0; round < rounds; round++) {
            for (int i = 0; i < sets.size(); i++) {
                List<String> flags = flags(sets.get(i));
                bare.get(i).add(bareFootprint(flags));
                Measured measured = workerFootprint(flags);
                worker.get(i).add(measured.footprint());
                allocating.get(i)[round] = measured.allocatingMillis();
            }
        }
        List<String> lines = new ArrayList<>();
        lines.add("| worker JVM flags | JVM | private MiB | PSS MiB | RSS MiB | threads | CPU ms to start, run one task, idle 1 s |");
        lines.add("|---|---|---|---|---|---|---|");
        for (int i = 0; i < sets.size(); i++) {
            lines.add(row(sets.get(i), "bare, sleeping", bare.get(i)));
            lines.add(row(sets.get(i), "pool worker, idle", worker.get(i)));
        }
        lines.add("");
        lines.add("| worker JVM flags | pool(2).map of 1,200 allocating tasks, chunksize 4 (ms) |");
        lines.add("|---|---|");
        for (int i = 0; i < sets.size(); i++) {
            Stats stats = Stats.of(allocating.get(i));
            lines.add(String.format(Locale.ROOT, "| %s | %.0f [%.0f, %.0f] |", sets.get(i), stats.median(),
                    stats.min(), Arrays.stream(allocating.get(i)).max().orElse(0)));
        }
        lines.add("");
        lines.add("Median of " + rounds + " rounds [min, max]; a set's bare JVM and worker measured one after the other, "
                + "sets in turn within a round. " + System.getProperty("java.vm.name") + " " + System.getProperty("java.version") + ".");
        Files.write(out, lines);
    }

    /** {@code default}: no flags, so the worker has the library's defaults and the bare JVM the JVM's own. */
    private static List<String> flags(String set) {
        return set.equals("default") ? List.of() : Arrays.asList(set.trim().split("\\s+"));
    }

    private static String row(String set, String jvm, List<ProcStatus.Footprint> values) {
        return "| " + set + " | " + jvm + " | " + spread(values, f -> f.privateKib() / 1024.0) + " | "
                + spread(values, f -> f.pssKib() / 1024.0) + " | " + spread(values, f -> f.rssKib() / 1024.0) + " | "
                + spread(values, f -> f.threads()) + " | " + spread(values, f -> f.cpuMillis()) + " |";
    }

    private static String spread(List<ProcStatus.Footprint> values, ToDoubleFunction<ProcStatus.Footprint> figure) {
        double[] sorted = values.stream().mapToDouble(figure).sorted().toArray();
        return String.format(Locale.ROOT, "%.1f [%.1f, %.1f]", sorted[sorted.length / 2], sorted[0],
                sorted[sorted.length - 1]);
    }

    /** A task that allocates much and keeps little, as parsing or building documents does. */
    private static int allocate(int seed) {
        Map<String, Integer> prefixes = new HashMap<>();
        for (int i = 0; i < 20_000; i++) {
            String text = Integer.toString(i * seed);
            prefixes.merge(text.substring(0, Math.min(3, text.length())), 1, Integer::sum);
        }
        return prefixes.size();
    }

    private record Measured(ProcStatus.Footprint footprint, double allocatingMillis) {
    }

    private static Measured workerFootprint(List<String> flags) throws Exception {
        BaseContext context = Multiprocess.newContext("forkserver");
        context.setJvmArguments(flags);
        // Two workers, as a pool has on a small machine: what one of them costs on its own is its private memory.
        try (ProcessPool pool = context.pool(PoolOptions.defaults().processes(WORKERS))) {
            pool.map(x -> x + 1, List.of(1, 2, 3, 4), 1);
            long pid = pool.snapshot().workers().get(0).pid();
            Thread.sleep(IDLE_MILLIS);
            ProcStatus.Footprint footprint = ProcStatus.footprint(pid);
            long before = System.nanoTime();
            pool.map(WorkerFootprint::allocate, ALLOCATING_ITEMS, 4);
            return new Measured(footprint, (System.nanoTime() - before) / 1e6);
        } finally {
            context.close();
        }
    }

    private static ProcStatus.Footprint bareFootprint(List<String> flags) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(flags);
        command.add("-cp");
        command.add(Stream.of(System.getProperty("java.class.path", "").split(File.pathSeparator))
                .filter(entry -> !entry.isEmpty()).map(entry -> Path.of(entry).toAbsolutePath().toString())
                .reduce((a, b) -> a + File.pathSeparator + b).orElse(""));
        command.add(Sleeper.class.getName());
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            // The sleeper says when its main runs.
            if (process.getInputStream().read() < 0) {
                throw new IllegalStateException("the bare JVM exited before its main ran: " + command);
            }
            Thread.sleep(IDLE_MILLIS);
            return ProcStatus.footprint(process.pid());
        } finally {
            process.destroyForcibly().waitFor();
        }
    }

    /** A JVM that does nothing: says it runs, then sleeps until it is killed. */
    public static final class Sleeper {

        private Sleeper() {
        }

        public static void main(String[] args) throws InterruptedException {
            System.out.print('r');
            System.out.flush();
            Thread.sleep(Long.MAX_VALUE);
        }
    }
}
