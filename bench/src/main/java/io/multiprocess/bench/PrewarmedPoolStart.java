package io.multiprocess.bench;

import io.multiprocess.BaseContext;
import io.multiprocess.Multiprocess;
import io.multiprocess.ProcessPool;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * How fast a new pool is ready when its context prepared JVMs ahead ({@code prewarm}), beside a bare JVM's start
 * (ProcessBuilder.start() to its main running, {@link BareMain}) and a pool created with no spare ready, measured in
 * alternating rounds in one JVM: pool(2) created to its first apply result.
 *
 * <p>Arguments: {@code out-file [rounds]} (default 10).
 */
public final class PrewarmedPoolStart {

    private PrewarmedPoolStart() {
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        Path dir = Files.createTempDirectory("prewarm-bench");
        BaseContext context = Multiprocess.newContext("forkserver");
        double[] bare = new double[rounds];
        double[] prewarmed = new double[rounds];
        double[] cold = new double[rounds];
        double[] ratio = new double[rounds];
        try {
            // Unmeasured: the startup archive is trained, the classes of this path are loaded and compiled a bit.
            for (int i = 0; i < 2; i++) {
                bareStartMillis(dir);
                context.prewarm(2).join();
                poolReadyMillis(context);
                context.close();
                poolReadyMillis(context);
                context.close();
            }
            for (int round = 0; round < rounds; round++) {
                bare[round] = bareStartMillis(dir);
                context.prewarm(2).join();
                Thread.sleep(300);
                prewarmed[round] = poolReadyMillis(context);
                context.close();
                Thread.sleep(300);
                cold[round] = poolReadyMillis(context);
                context.close();
                ratio[round] = prewarmed[round] / bare[round];
            }
        } finally {
            context.close();
        }
        List<String> lines = new ArrayList<>();
        lines.add("| measure (" + rounds + " alternating rounds; median [min, max]) | ms |");
        lines.add("|---|---:|");
        lines.add("| bare JVM: ProcessBuilder.start() → main running | " + spread(bare) + " |");
        lines.add("| pool(2) created → first apply result, after prewarm(2) (forkserver spares ready) | "
                + spread(prewarmed) + " |");
        lines.add("| pool(2) created → first apply result, no spare ready (forkserver, spares dropped) | "
                + spread(cold) + " |");
        lines.add("| prewarmed pool / bare JVM start, per round (×) | " + spread(ratio) + " |");
        Files.write(out, lines);
    }

    private static double poolReadyMillis(BaseContext context) {
        long before = System.nanoTime();
        try (ProcessPool pool = context.pool(2)) {
            pool.apply(() -> null);
            return (System.nanoTime() - before) / 1e6;
        }
    }

    private static double bareStartMillis(Path dir) throws Exception {
        Path file = Files.createTempFile(dir, "bare", ".txt");
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                absoluteClasspath(), BareMain.class.getName(), file.toString());
        long before = System.nanoTime();
        Process process = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        if (process.waitFor() != 0) {
            throw new IllegalStateException("bare JVM failed: " + command);
        }
        long started = Long.parseLong(Files.readString(file).trim());
        Files.delete(file);
        return (started - before) / 1e6;
    }

    private static String absoluteClasspath() {
        return Stream.of(System.getProperty("java.class.path", "").split(File.pathSeparator))
                .filter(entry -> !entry.isEmpty()).map(entry -> Path.of(entry).toAbsolutePath().toString())
                .reduce((a, b) -> a + File.pathSeparator + b).orElse("");
    }

    private static String spread(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return String.format(Locale.ROOT, "%.1f [%.1f, %.1f]", Stats.of(values).median(), sorted[0],
                sorted[sorted.length - 1]);
    }
}
