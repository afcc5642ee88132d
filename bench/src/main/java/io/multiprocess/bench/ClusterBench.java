package io.multiprocess.bench;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import io.multiprocess.BaseContext;
import io.multiprocess.MpProcess;
import io.multiprocess.Multiprocess;
import io.multiprocess.Pool;
import io.multiprocess.ProcessPool;
import io.multiprocess.hazelcast.ClusterMember;
import io.multiprocess.hazelcast.ClusterPool;
import io.multiprocess.synchronize.Event;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.stream.IntStream;

/**
 * The cluster pool beside the local pool, on this machine: a Hazelcast member in this JVM with a local pool of one
 * worker, and up to two more members in JVMs of their own (child processes), each with one worker.
 *
 * <ul>
 *   <li>apply round trip and map throughput (ints, default chunksize): the local pool, the cluster pool with this
 *       member alone (its batches run in its local pool directly), and with two members (one-at-a-time applies go
 *       round the members, so half cross to the other JVM; their round trips are also reported by where they
 *       ran), in alternating rounds;</li>
 *   <li>a CPU-bound map (prime counts, chunksize 1) on 1, 2 and 3 members.</li>
 * </ul>
 *
 * <p>Arguments: {@code out-file [--short]}. Figures: median of the rounds [min, max].
 */
public final class ClusterBench {

    private static final byte[] KEY = "the cluster bench's key, 32 byte".getBytes(StandardCharsets.UTF_8);

    private ClusterBench() {
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        boolean quick = Arrays.asList(args).contains("--short");
        int rounds = quick ? 1 : 7;
        int applies = quick ? 200 : 2000;
        int items = quick ? 20_000 : 200_000;
        int cpuItems = quick ? 6 : 12;
        int cpuLimit = quick ? 300_000 : 3_000_000;
        String clusterName = "multiprocess-bench-" + UUID.randomUUID();
        BaseContext context = Multiprocess.newContext("forkserver");
        HazelcastInstance hazelcast = Hazelcast.newHazelcastInstance(config(clusterName));
        List<MpProcess> members = new ArrayList<>();
        Event stop = context.event();
        List<String> lines = new ArrayList<>();
        try (ProcessPool local = context.pool(1);
                ClusterPool cluster = ClusterPool.builder(hazelcast, local).name("bench").clusterKey(KEY).build()) {
            List<Integer> input = IntStream.range(0, items).boxed().toList();
            List<Integer> cpuInput = Collections.nCopies(cpuItems, cpuLimit);
            int expected = CpuScaling.primesBelow(cpuLimit);
            warm(local, input, quick);
            warm(cluster, input, quick);

            double[][] apply = new double[3][rounds];
            double[][] split = new double[2][rounds];
            double[][] map = new double[3][rounds];
            double[][] cpu = new double[3][rounds];
            for (int round = 0; round < rounds; round++) {
                boolean clusterFirst = round % 2 == 1;
                for (Pool pool : clusterFirst ? List.<Pool>of(cluster, local) : List.<Pool>of(local, cluster)) {
                    int side = pool == local ? 0 : 1;
                    apply[side][round] = medianApplyMicros(pool, applies);
                    map[side][round] = mapPerSecond(pool, input);
                }
                cpu[0][round] = cpuMillis(cluster, cpuInput, expected);
            }
            members.add(startMember(context, clusterName, stop));
            awaitServing(cluster, 2);
            warm(cluster, input, quick);
            java.util.Set<Long> here = new java.util.HashSet<>();
            local.snapshot().workers().forEach(worker -> here.add(worker.pid()));
            for (int round = 0; round < rounds; round++) {
                double[] bySide = medianApplyMicrosBySide(cluster, applies, here);
                split[0][round] = bySide[0];
                split[1][round] = bySide[1];
                apply[2][round] = medianApplyMicros(cluster, applies);
                map[2][round] = mapPerSecond(cluster, input);
                cpu[1][round] = cpuMillis(cluster, cpuInput, expected);
            }
            int most = quick ? 2 : 3;
            if (most == 3) {
                // The smoke run stops at two members: a third adds a JVM start and nothing a smoke run checks.
                members.add(startMember(context, clusterName, stop));
                awaitServing(cluster, 3);
                cpuMillis(cluster, cpuInput, expected);
                for (int round = 0; round < rounds; round++) {
                    cpu[2][round] = cpuMillis(cluster, cpuInput, expected);
                }
            }

            lines.add("| measure (" + rounds + " rounds; median [min, max]) | local pool | cluster pool, this member "
                    + "alone | cluster pool, 2 members | 1 member / local | 2 members / local |");
            lines.add("|---|---:|---:|---:|---:|---:|");
            lines.add(row("apply round trip, median of " + applies + " (µs)", apply));
            lines.add(row(String.format(Locale.ROOT, "map of %,d ints, default chunksize (tasks/s)", items), map));
            lines.add("");
            lines.add("With 2 members, one-at-a-time applies go round the members; by where they ran (µs, median [min, "
                    + "max] of the rounds' medians): on this member's worker " + spread(split[0])
                    + ", on the other member's worker (through Hazelcast, to the other JVM and back) "
                    + spread(split[1]) + String.format(Locale.ROOT, "; remote / local pool %.2f×.",
                    Stats.of(split[1]).median() / Stats.of(apply[0]).median()));
            lines.add("");
            lines.add(String.format(Locale.ROOT, "CPU-bound map: %d prime counts below %,d, chunksize 1, one worker "
                    + "per member (%d CPUs on this machine):", cpuItems, cpuLimit,
                    Runtime.getRuntime().availableProcessors()));
            lines.add("");
            lines.add("| members | wall time (ms), median [min, max] | speed-up over 1 member |");
            lines.add("|---:|---:|---:|");
            double one = Stats.of(cpu[0]).median();
            for (int count = 1; count <= most; count++) {
                lines.add("| " + count + " | " + spread(cpu[count - 1]) + " | "
                        + String.format(Locale.ROOT, "%.2f×", one / Stats.of(cpu[count - 1]).median()) + " |");
            }
        } finally {
            stop.set();
            for (MpProcess member : members) {
                if (!member.join(Duration.ofSeconds(30))) {
                    member.kill();
                }
            }
            hazelcast.getLifecycleService().terminate();
            context.close();
        }
        Files.write(out, lines);
    }

    /** A member on loopback, apart from any other cluster by its name. */
    static Config config(String clusterName) {
        Config config = ClusterPool.configure(new Config()).setClusterName(clusterName);
        config.setProperty("hazelcast.phone.home.enabled", "false");
        // Its INFO lines would fill the report's terminal, from the member JVMs too.
        config.setProperty("hazelcast.logging.type", "none");
        config.setProperty("hazelcast.wait.seconds.before.join", "0");
        config.setProperty("hazelcast.max.wait.seconds.before.join", "0");
        config.getNetworkConfig().setPort(5981).setPortAutoIncrement(true).setPortCount(10);
        config.getNetworkConfig().getInterfaces().setEnabled(true).addInterface("127.0.0.1");
        JoinConfig join = config.getNetworkConfig().getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        for (int port = 5981; port < 5984; port++) {
            join.getTcpIpConfig().setEnabled(true).addMember("127.0.0.1:" + port);
        }
        return config;
    }

    private static MpProcess startMember(BaseContext context, String clusterName, Event stop) {
        MpProcess member = context.process("cluster-bench-member", () -> {
            HazelcastInstance instance = Hazelcast.newHazelcastInstance(config(clusterName));
            try (ProcessPool local = Multiprocess.newContext("forkserver").pool(1);
                    ClusterPool pool = ClusterPool.builder(instance, local).name("bench").clusterKey(KEY).build()) {
                stop.await(Duration.ofHours(1));
            } finally {
                instance.getLifecycleService().terminate();
            }
        });
        member.start();
        return member;
    }

    private static void awaitServing(ClusterPool pool, int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (pool.members().stream().filter(ClusterMember::serving).count() < count) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the cluster did not reach " + count + " serving members");
            }
            Thread.sleep(20);
        }
    }

    private static void warm(Pool pool, List<Integer> input, boolean quick) {
        for (int i = 0; i < (quick ? 200 : 5000); i++) {
            pool.apply(() -> null);
        }
        for (int i = 0; i < (quick ? 1 : 5); i++) {
            pool.map(x -> x, input);
        }
    }

    private static double medianApplyMicros(Pool pool, int applies) {
        double[] micros = new double[applies];
        for (int i = 0; i < applies; i++) {
            long start = System.nanoTime();
            pool.apply(() -> null);
            micros[i] = (System.nanoTime() - start) / 1e3;
        }
        return Stats.of(micros).median();
    }

    /** The medians of the applies that ran on this member's workers, and of those that ran elsewhere. */
    private static double[] medianApplyMicrosBySide(Pool pool, int applies, java.util.Set<Long> here) {
        List<Double> local = new ArrayList<>();
        List<Double> remote = new ArrayList<>();
        for (int i = 0; i < applies; i++) {
            long start = System.nanoTime();
            long pid = pool.apply(() -> ProcessHandle.current().pid());
            double micros = (System.nanoTime() - start) / 1e3;
            (here.contains(pid) ? local : remote).add(micros);
        }
        return new double[] {median(local), median(remote)};
    }

    private static double median(List<Double> values) {
        return values.isEmpty() ? Double.NaN : Stats.of(values.stream().mapToDouble(Double::doubleValue).toArray())
                .median();
    }

    private static double mapPerSecond(Pool pool, List<Integer> input) {
        long start = System.nanoTime();
        List<Integer> results = pool.map(x -> x, input);
        double seconds = (System.nanoTime() - start) / 1e9;
        if (results.size() != input.size()) {
            throw new IllegalStateException("the map lost results");
        }
        return input.size() / seconds;
    }

    private static double cpuMillis(Pool pool, List<Integer> input, int expected) {
        long start = System.nanoTime();
        List<Integer> counts = pool.map(CpuScaling::primesBelow, input, 1);
        if (!counts.stream().allMatch(count -> count == expected)) {
            throw new IllegalStateException("a prime count was wrong");
        }
        return (System.nanoTime() - start) / 1e6;
    }

    private static String row(String label, double[][] sides) {
        double local = Stats.of(sides[0]).median();
        return "| " + label + " | " + spread(sides[0]) + " | " + spread(sides[1]) + " | " + spread(sides[2])
                + " | " + String.format(Locale.ROOT, "%.2f", Stats.of(sides[1]).median() / local) + " | "
                + String.format(Locale.ROOT, "%.2f", Stats.of(sides[2]).median() / local) + " |";
    }

    private static String spread(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return format(Stats.of(values).median()) + " [" + format(sorted[0]) + ", " + format(sorted[sorted.length - 1])
                + "]";
    }

    private static String format(double value) {
        return value >= 1000 ? String.format(Locale.ROOT, "%,.0f", value) : String.format(Locale.ROOT, "%.1f", value);
    }

}
