package io.multiprocess.bench.reliability;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/** A parent JVM SIGKILLed with a pool running: do its children go, and how fast? */
final class ParentKillScenario {

    private ParentKillScenario() {
    }

    static List<Scenario> all() {
        return List.of(new Scenario("parent-sigkill", "SIGKILL of the parent",
                "every child JVM (workers, busy or idle, and spares) exits by itself within 5 s: 0 orphans at 5 s "
                        + "(exited: gone, or a zombie left for init to reap)",
                ParentKillScenario::parentSigkill));
    }

    static Scenario.Result parentSigkill(Size size, Scenario.Settings settings) throws Exception {
        int rounds = size.pick(3, 20);
        List<Double> goneMillis = new ArrayList<>();
        int orphans = 0;
        int children = 0;
        List<String> problems = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            Process parent = ReliabilityBench.javaMain(settings, List.of(), ParentMain.class)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            List<ProcessHandle> descendants = List.of();
            try {
                BufferedReader lines = new BufferedReader(new InputStreamReader(parent.getInputStream(),
                        StandardCharsets.UTF_8));
                String line = lines.readLine();
                if (line == null || !line.startsWith("READY")) {
                    problems.add("round " + round + ": the parent did not get ready (" + line + ")");
                    continue;
                }
                descendants = Os.descendants(parent.pid());
                children += descendants.size();
                long before = System.nanoTime();
                parent.destroyForcibly();
                parent.waitFor(10, TimeUnit.SECONDS);
                long fiveSeconds = before + 5_000_000_000L;
                List<ProcessHandle> alive = descendants;
                while (!alive.isEmpty() && System.nanoTime() < fiveSeconds) {
                    Thread.sleep(2);
                    alive = alive.stream().filter(Os::running).toList();
                }
                if (alive.isEmpty()) {
                    goneMillis.add((System.nanoTime() - before) / 1e6);
                } else {
                    orphans += alive.size();
                }
            } finally {
                parent.destroyForcibly();
                descendants.forEach(ProcessHandle::destroyForcibly);
            }
        }
        Collections.sort(goneMillis);
        String times = goneMillis.isEmpty() ? "never" : String.format(Locale.ROOT, "median %.0f ms, max %.0f ms",
                goneMillis.get(goneMillis.size() / 2), goneMillis.get(goneMillis.size() - 1));
        String figure = String.format(Locale.ROOT, "%d kills, %d child JVMs in all; every child exited after %s; "
                + "orphans at 5 s: %d%s", rounds, children, times, orphans,
                problems.isEmpty() ? "" : "; " + String.join("; ", problems));
        boolean held = orphans == 0 && problems.isEmpty() && goneMillis.size() == rounds;
        return new Scenario.Result(String.format(Locale.ROOT, "a parent JVM with pool(2) (a busy worker, an idle "
                + "one) and a warm spare, SIGKILLed; %d rounds; time until its last child exits", rounds), figure,
                held);
    }
}
