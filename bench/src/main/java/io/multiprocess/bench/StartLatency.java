package io.multiprocess.bench;

import io.multiprocess.BaseContext;
import io.multiprocess.ChildMain;
import io.multiprocess.Diagnostics;
import io.multiprocess.ForkServerContext;
import io.multiprocess.MpProcess;
import io.multiprocess.Multiprocess;
import io.multiprocess.diagnostics.ChildJvmInfo;
import io.multiprocess.reduction.Reducers;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * How long {@code start()} takes until the target runs in the child, for {@code forkserver} and {@code spawn},
 * next to two baselines for spawn (the same command line running only the bootstrap a child needs,
 * {@link BootstrapBaseline}, and a bare JVM with an empty main), plus the resident memory a warm spare and a
 * running child cost. These are the figures
 * that decide between the start methods, so they are measured rather than guessed.
 *
 * <p>Times come from {@link System#nanoTime()} on both sides: the parent reads it just before {@code start()}, the
 * child's target reads it first thing and writes it to a file the parent reads after {@code join()}. On Linux
 * {@code nanoTime} is {@code CLOCK_MONOTONIC}, one clock for every process on the machine, so the two readings
 * can be subtracted; on other systems the figures are not meaningful. RSS is read from {@code /proc}, so this is
 * Linux-only.
 *
 * <p>Prints a Markdown table. Every child JVM is joined or killed before it returns.
 */
public final class StartLatency {

    /** Lets JIT and GC threads of the JVMs just launched calm down, as they would between a service's starts. */
    private static final Duration SETTLE = Duration.ofMillis(200);
    /** How long a process must have been idle before its RSS is read, so start-up allocation has stopped. */
    private static final Duration IDLE_BEFORE_RSS = Duration.ofSeconds(1);
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private StartLatency() {
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        Path dir = Files.createTempDirectory("multiprocess-bench");
        List<String> rows = new ArrayList<>();
        try {
            ForkServerContext forkserver = (ForkServerContext) Multiprocess.getContext(ForkServerContext.METHOD);
            BaseContext spawn = Multiprocess.getContext("spawn");
            if (options.childJvmArguments() != null) {
                forkserver.setJvmArguments(options.childJvmArguments());
                spawn.setJvmArguments(options.childJvmArguments());
            }
            Stats forkserverStart = forkserverLatency(forkserver, options, dir);
            ProcStatus.Footprint spare = idleSpareFootprint();
            ProcStatus.Footprint child = sleepingChildFootprint(forkserver, dir);
            // Drops the idle spares, so they neither compete with spawn for CPU nor outlive the run.
            forkserver.setSpares(1);
            awaitNoChildren();

            Stats[] spawnAndBootstrap = spawnAndBootstrapLatency(spawn, options, dir);
            Stats spawnStart = spawnAndBootstrap[0];
            Stats bootstrapStart = spawnAndBootstrap[1];
            Stats bareStart = bareLatency(options, dir);

            rows.add(row("forkserver: start() → target running (ms)", forkserverStart));
            rows.add(row("spawn: start() → target running (ms)", spawnStart));
            rows.add(row("same bootstrap as spawn: ProcessBuilder.start() → target running (ms)", bootstrapStart));
            rows.add(row("bare JVM: ProcessBuilder.start() → main running (ms)", bareStart));
            rows.add(single("private memory of an idle forkserver spare (MiB)", spare.privateKib() / 1024.0));
            rows.add(single("private memory of a child sleeping in its target (MiB)", child.privateKib() / 1024.0));
            rows.add(single("PSS of an idle forkserver spare (MiB)", spare.pssKib() / 1024.0));
            rows.add(single("PSS of a child sleeping in its target (MiB)", child.pssKib() / 1024.0));
            rows.add(single("RSS of an idle forkserver spare (MiB)", spare.rssKib() / 1024.0));
            rows.add(single("RSS of a child sleeping in its target (MiB)", child.rssKib() / 1024.0));
            print(rows, spawnStart.median() / bootstrapStart.median(), spawnStart.median() / bareStart.median());
        } finally {
            deleteTree(dir);
        }
        awaitNoChildren();
        System.out.println();
        System.out.println("child JVMs left running: " + Diagnostics.liveChildJvms().size());
    }

    /** Steady state: each start finds a warm spare, as in a service whose starts are not bursts. */
    private static Stats forkserverLatency(ForkServerContext context, Options options, Path dir) throws Exception {
        // The first start has no spare yet (spares are launched on first use), so it is always a warm-up.
        int warmup = Math.max(1, options.warmup());
        double[] millis = new double[options.forkserverRuns()];
        for (int i = 0; i < warmup + millis.length; i++) {
            if (i > 0) {
                awaitReadySpare();
            }
            pause(SETTLE);
            double ms = timeStart(context, dir);
            if (i >= warmup) {
                millis[i - warmup] = ms;
            }
        }
        return Stats.of(millis);
    }

    /**
     * Spawn starts and same-bootstrap starts, one of each in turn, so that both series meet the same load on a
     * shared machine and their ratio means something.
     */
    private static Stats[] spawnAndBootstrapLatency(BaseContext context, Options options, Path dir) throws Exception {
        double[] spawnMillis = new double[options.spawnRuns()];
        double[] bootstrapMillis = new double[options.bootstrapRuns()];
        try (BootstrapBaseline baseline = new BootstrapBaseline(spawnCommandLine(context, dir),
                ChildMain.class.getName(), Reducers.nameOf(context.getReducer()), dir)) {
            for (int i = 0; i < options.warmup() + Math.max(spawnMillis.length, bootstrapMillis.length); i++) {
                int measured = i - options.warmup();
                if (measured < spawnMillis.length) {
                    pause(SETTLE);
                    double ms = timeStart(context, dir);
                    if (measured >= 0) {
                        spawnMillis[measured] = ms;
                    }
                }
                if (measured < bootstrapMillis.length) {
                    pause(SETTLE);
                    double ms = timeBootstrap(baseline, dir);
                    if (measured >= 0) {
                        bootstrapMillis[measured] = ms;
                    }
                }
            }
        }
        return new Stats[] {Stats.of(spawnMillis), Stats.of(bootstrapMillis)};
    }

    /** One start of a process that records when its target runs; milliseconds from just before start(). */
    private static double timeStart(BaseContext context, Path dir) throws Exception {
        Path file = Files.createTempFile(dir, "started", ".txt");
        // A String, not a Path: the target's captured values are sent to the child with the context's reducer.
        String target = file.toString();
        MpProcess process = context.process(() -> recordNanoTime(target));
        long before = System.nanoTime();
        process.start();
        process.join();
        if (process.exitCode() != 0) {
            throw new IllegalStateException(context.getStartMethod() + " child exited with " + process.exitCode());
        }
        process.close();
        long started = Long.parseLong(Files.readString(file).trim());
        Files.delete(file);
        return (started - before) / 1e6;
    }

    /** The target: static, so the lambda captures only the file name. */
    private static void recordNanoTime(String file) throws IOException {
        long now = System.nanoTime();
        Files.writeString(Path.of(file), Long.toString(now));
    }

    /**
     * The command line of a spawned child, read from {@code /proc} while one runs: exactly what spawn launches,
     * startup archive flags included.
     */
    private static List<String> spawnCommandLine(BaseContext context, Path dir) throws Exception {
        Path marker = dir.resolve("spawned.txt");
        String target = marker.toString();
        MpProcess process = context.process(() -> sleepAfterMarking(target));
        process.start();
        try {
            await(() -> Files.exists(marker) ? Optional.of(true) : Optional.empty(), "the spawned child's target");
            ProcessHandle.Info info = ProcessHandle.of(process.pid()).orElseThrow().info();
            List<String> command = new ArrayList<>();
            command.add(info.command().orElseThrow());
            command.addAll(List.of(info.arguments().orElseThrow()));
            return command;
        } finally {
            process.terminate();
            process.join();
            process.close();
        }
    }

    /** One run of the spawned child's command line with {@link BootstrapMain}; milliseconds to its target. */
    private static double timeBootstrap(BootstrapBaseline baseline, Path dir) throws Exception {
        Path file = Files.createTempFile(dir, "bootstrap", ".txt");
        String target = file.toString();
        long before = baseline.start(() -> recordNanoTime(target));
        long started = Long.parseLong(Files.readString(file).trim());
        Files.delete(file);
        return (started - before) / 1e6;
    }

    /**
     * The same java and classpath a spawned child gets (no JVM flags, no startup archive), with a main that does
     * nothing but record the time: how long the JVM alone takes to boot.
     */
    private static Stats bareLatency(Options options, Path dir) throws Exception {
        double[] millis = new double[options.bareRuns()];
        for (int i = 0; i < options.warmup() + millis.length; i++) {
            pause(SETTLE);
            Path file = Files.createTempFile(dir, "bare", ".txt");
            ProcessBuilder builder = new ProcessBuilder(bareCommand(file))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.INHERIT);
            long before = System.nanoTime();
            Process process = builder.start();
            int exit = process.waitFor();
            if (exit != 0) {
                throw new IllegalStateException("bare JVM exited with " + exit + ": " + builder.command());
            }
            long started = Long.parseLong(Files.readString(file).trim());
            Files.delete(file);
            if (i >= options.warmup()) {
                millis[i - options.warmup()] = (started - before) / 1e6;
            }
        }
        return Stats.of(millis);
    }

    private static List<String> bareCommand(Path file) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-cp");
        command.add(absoluteClasspath());
        command.add(BareMain.class.getName());
        command.add(file.toString());
        return command;
    }

    /** Absolute entries, as children get them, so the baseline pays the same classpath cost. */
    private static String absoluteClasspath() {
        return Stream.of(System.getProperty("java.class.path", "").split(File.pathSeparator))
                .filter(entry -> !entry.isEmpty())
                .map(entry -> Path.of(entry).toAbsolutePath().toString())
                .reduce((a, b) -> a + File.pathSeparator + b)
                .orElse("");
    }

    private static ProcStatus.Footprint idleSpareFootprint() throws Exception {
        ChildJvmInfo spare = awaitReadySpare();
        pause(IDLE_BEFORE_RSS);
        return ProcStatus.footprint(spare.pid());
    }

    private static ProcStatus.Footprint sleepingChildFootprint(BaseContext context, Path dir) throws Exception {
        awaitReadySpare();
        Path marker = dir.resolve("sleeping.txt");
        String target = marker.toString();
        MpProcess process = context.process(() -> sleepAfterMarking(target));
        process.start();
        try {
            await(() -> Files.exists(marker) ? Optional.of(true) : Optional.empty(), "the child's target to run");
            pause(IDLE_BEFORE_RSS);
            return ProcStatus.footprint(process.pid());
        } finally {
            process.terminate();
            process.join();
        }
    }

    private static void sleepAfterMarking(String marker) throws Exception {
        Files.writeString(Path.of(marker), "running");
        Thread.sleep(TIMEOUT.toMillis());
    }

    private static ChildJvmInfo awaitReadySpare() throws InterruptedException {
        return await(() -> Diagnostics.liveChildJvms().stream()
                .filter(child -> child.idleSpare() && child.ready())
                .min(Comparator.comparingLong(ChildJvmInfo::pid)), "a ready forkserver spare");
    }

    private static void awaitNoChildren() throws InterruptedException {
        await(() -> Diagnostics.liveChildJvms().isEmpty() ? Optional.of(true) : Optional.empty(),
                "every child JVM to exit");
    }

    private static <T> T await(Supplier<Optional<T>> condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            Optional<T> value = condition.get();
            if (value.isPresent()) {
                return value.get();
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("timed out after " + TIMEOUT.toSeconds() + " s waiting for " + what);
            }
            Thread.sleep(5);
        }
    }

    private static void pause(Duration duration) throws InterruptedException {
        Thread.sleep(duration.toMillis());
    }

    private static String row(String metric, Stats stats) {
        return String.format(Locale.ROOT, "| %s | %.1f | %.1f | %.1f | %d |", metric, stats.median(), stats.min(),
                stats.p90(), stats.n());
    }

    private static String single(String metric, double value) {
        return String.format(Locale.ROOT, "| %s | %.1f | – | – | 1 |", metric, value);
    }

    private static void print(List<String> rows, double spawnToBootstrap, double spawnToBare) {
        System.out.println();
        System.out.println("| metric | median | min | p90 | n |");
        System.out.println("|---|---:|---:|---:|---:|");
        rows.forEach(System.out::println);
        System.out.println();
        System.out.printf(Locale.ROOT, "spawn / same bootstrap, ratio of medians: %.2f%n", spawnToBootstrap);
        System.out.printf(Locale.ROOT, "spawn / bare JVM, ratio of medians: %.2f%n", spawnToBare);
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
