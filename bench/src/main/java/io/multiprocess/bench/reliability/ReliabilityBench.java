package io.multiprocess.bench.reliability;

import io.multiprocess.Diagnostics;
import io.multiprocess.diagnostics.ChildJvmInfo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs the reliability scenarios of docs/reliability.md on real JVMs: workers killed and stopped from outside,
 * parents killed, floods of unauthenticated connections, garbage frames, bad user input, a soak and the Spring
 * app's graceful shutdown. Each scenario prints one Markdown row (scenario | what is done | figure | the promise |
 * held?) and, with {@code --out FILE}, appends it as a JSON line for bench/run-reliability.sh.
 *
 * <pre>
 * java -cp ... io.multiprocess.bench.reliability.ReliabilityBench [--short] [--out FILE] [--sample-jar JAR]
 *     [--scenario ID[,ID...]] [--list]
 * </pre>
 *
 * <p>A scenario reports what it measures, a failure included; it never stops the others. The script runs each in
 * a JVM of its own with a deadline, so a scenario that hangs is reported as hung.
 */
public final class ReliabilityBench {

    private ReliabilityBench() {
    }

    static Map<String, Scenario> scenarios() {
        Map<String, Scenario> all = new LinkedHashMap<>();
        List<Scenario> list = new ArrayList<>();
        list.addAll(CrashScenarios.all());
        list.addAll(ParentKillScenario.all());
        list.addAll(FloodScenarios.all());
        list.addAll(BadInputScenarios.all());
        list.addAll(MachineFaultScenarios.all());
        list.addAll(SoakScenarios.all());
        list.addAll(SpringShutdownScenario.all());
        list.forEach(scenario -> all.put(scenario.id(), scenario));
        return all;
    }

    public static void main(String[] args) throws Exception {
        boolean isShort = false;
        Path out = null;
        String sampleJar = null;
        List<String> ids = new ArrayList<>();
        Map<String, Scenario> scenarios = scenarios();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--short" -> isShort = true;
                case "--out" -> out = Path.of(value(args, ++i));
                case "--sample-jar" -> sampleJar = value(args, ++i);
                case "--scenario" -> ids.addAll(List.of(value(args, ++i).split(",")));
                case "--list" -> {
                    scenarios.keySet().forEach(System.out::println);
                    return;
                }
                default -> throw new IllegalArgumentException("unknown argument '" + args[i] + "'; arguments: "
                        + "[--short] [--out FILE] [--sample-jar JAR] [--scenario ID[,ID...]] [--list]");
            }
        }
        if (ids.isEmpty()) {
            ids.addAll(scenarios.keySet());
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Scenario.Settings settings = new Scenario.Settings(System.getProperty("java.class.path"), java, sampleJar);
        Size size = new Size(isShort);
        for (String id : ids) {
            Scenario scenario = scenarios.get(id);
            if (scenario == null) {
                throw new IllegalArgumentException("no scenario '" + id + "'; --list names them");
            }
            Row row = run(scenario, size, settings);
            System.out.println(row.markdown());
            if (out != null) {
                Files.writeString(out, row.json() + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND);
            }
        }
        // A scenario that broke a pool may leave its non-daemon threads; the rows are written, so end here.
        System.exit(0);
    }

    private static Row run(Scenario scenario, Size size, Scenario.Settings settings) {
        long started = System.nanoTime();
        Scenario.Result result;
        try {
            result = scenario.body().run(size, settings);
        } catch (Throwable e) {
            result = new Scenario.Result("(the scenario did not finish)", "the scenario failed: " + describe(e),
                    false);
        }
        // The default context keeps a warm spare after its pools close, by design; it is not a leftover.
        io.multiprocess.Multiprocess.getContext().close();
        String leftover = awaitNoChildren();
        if (!leftover.isEmpty()) {
            result = new Scenario.Result(result.done(), result.figure() + "; " + leftover, false);
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        return new Row(scenario.id(), scenario.title(), result.done(), result.figure(), scenario.promise(),
                result.held(), seconds);
    }

    /** Empty when every child JVM of this one is gone within 10 s, else what is left. */
    private static String awaitNoChildren() {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!Diagnostics.liveChildJvms().isEmpty() && System.nanoTime() < deadline) {
            Os.sleep(20);
        }
        List<ChildJvmInfo> left = Diagnostics.liveChildJvms();
        if (left.isEmpty()) {
            return "";
        }
        left.forEach(child -> ProcessHandle.of(child.pid()).ifPresent(ProcessHandle::destroyForcibly));
        return String.format(Locale.ROOT, "%d child JVMs still running 10 s after the scenario (killed)",
                left.size());
    }

    static String describe(Throwable e) {
        String message = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + firstLine(e.getMessage()));
        return message.length() > 300 ? message.substring(0, 300) + "…" : message;
    }

    static String firstLine(String text) {
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }

    private static String value(String[] args, int index) {
        if (index >= args.length) {
            throw new IllegalArgumentException(args[index - 1] + " needs a value");
        }
        return args[index];
    }

    /** Used by scenarios that launch a JVM of their own (a parent to kill, a target to flood). */
    static ProcessBuilder javaMain(Scenario.Settings settings, List<String> jvmArguments, Class<?> main,
            String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(settings.java());
        command.addAll(jvmArguments);
        command.add("-cp");
        command.add(settings.classpath());
        command.add(main.getName());
        command.addAll(List.of(args));
        return new ProcessBuilder(command);
    }
}
