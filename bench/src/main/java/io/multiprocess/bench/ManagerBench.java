package io.multiprocess.bench;

import io.multiprocess.Diagnostics;
import io.multiprocess.Multiprocess;
import io.multiprocess.managers.SyncManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What a manager proxy call costs: {@code ctx.manager()} starts the server in a child JVM, and this process calls a
 * {@code dict()} proxy holding one entry. Each figure is one call, a full round trip: the method and arguments are
 * reduced and sent over the manager's authenticated UNIX-domain socket, the server calls the map and sends back the
 * reduced result.
 * <ul>
 *   <li>{@code map.get(key)} of a short string key, answering a small integer;</li>
 *   <li>{@code map.put(key, value)} of the same.</li>
 * </ul>
 * bench/python/manager_bench.py does the same with Python's {@code multiprocessing.Manager().dict()}, and
 * bench/run-manager.sh prints both side by side.
 *
 * <p>Arguments: {@code --short} (tiny counts for a smoke run), {@code --warmup N}, {@code --calls N},
 * {@code --json}. The manager's JVM has exited before it returns.
 */
public final class ManagerBench {

    private ManagerBench() {
    }

    public static void main(String[] args) {
        boolean json = false;
        boolean shortRun = false;
        Integer warmup = null;
        Integer calls = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--json" -> json = true;
                case "--short" -> shortRun = true;
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                case "--calls" -> calls = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + "; use --short, --warmup N, --calls N, --json");
            }
        }
        int w = warmup != null ? warmup : shortRun ? 100 : 5_000;
        int n = calls != null ? calls : shortRun ? 200 : 20_000;
        List<PoolMetric> metrics = new ArrayList<>();
        try (SyncManager manager = Multiprocess.getContext().manager()) {
            Map<String, Integer> map = manager.dict();
            map.put("key", 42);
            metrics.addAll(calls(map, "dict_get", "manager dict get round trip", w, n, m -> {
                if (m.get("key") != 42) {
                    throw new IllegalStateException("the manager's dict lost its entry");
                }
            }));
            metrics.addAll(calls(map, "dict_put", "manager dict put round trip", w, n, m -> m.put("key", 42)));
        }
        if (json) {
            System.out.println(json(metrics));
        } else {
            System.out.println();
            System.out.println("| metric | ours | n |");
            System.out.println("|---|---:|---:|");
            metrics.forEach(m -> System.out.println(String.format(Locale.ROOT, "| %s | %s | %d |", m.label(),
                    PoolBench.format(m.value()), m.n())));
            System.out.println();
            System.out.println("child JVMs left running, idle forkserver spares aside: "
                    + Diagnostics.liveChildJvms().stream().filter(jvm -> !jvm.idleSpare()).count());
        }
    }

    private static List<PoolMetric> calls(Map<String, Integer> map, String key, String label, int warmup, int count,
            Consumer<Map<String, Integer>> call) {
        for (int i = 0; i < warmup; i++) {
            call.accept(map);
        }
        double[] micros = new double[count];
        for (int i = 0; i < count; i++) {
            long before = System.nanoTime();
            call.accept(map);
            micros[i] = (System.nanoTime() - before) / 1e3;
        }
        Stats stats = Stats.of(micros);
        return List.of(new PoolMetric(key + "_median_us", label + ", median (µs)", stats.median(), stats.n()),
                new PoolMetric(key + "_p90_us", label + ", p90 (µs)", stats.p90(), stats.n()));
    }

    /** Hand-written, as the bench has no JSON library; keys and labels are ours, so no quotes need escaping. */
    private static String json(List<PoolMetric> metrics) {
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "{\"runtime\": \"Java %s (%s)\", "
                + "\"reducer\": \"%s\", \"results\": {", System.getProperty("java.version"),
                System.getProperty("java.vm.name"), Multiprocess.getContext().getReducer().name()));
        String separator = "";
        for (PoolMetric metric : metrics) {
            out.append(String.format(Locale.ROOT, "%s\"%s\": {\"value\": %.3f, \"n\": %d, \"label\": \"%s\"}",
                    separator, metric.key(), metric.value(), metric.n(), metric.label()));
            separator = ", ";
        }
        return PoolBench.asciiOnly(out.append("}}").toString());
    }
}
