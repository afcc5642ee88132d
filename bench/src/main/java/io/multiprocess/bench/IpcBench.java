package io.multiprocess.bench;

import io.multiprocess.BaseContext;
import io.multiprocess.Diagnostics;
import io.multiprocess.MpProcess;
import io.multiprocess.Multiprocess;
import io.multiprocess.connection.Connection;
import io.multiprocess.connection.Pipe;
import io.multiprocess.queues.MpQueue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What it costs to talk to a child process, for {@code forkserver} and {@code spawn}: a small object's round trip
 * through two {@link MpQueue}s and through a {@link Pipe} (parent sends, child answers), and the rate of 1 MiB
 * byte messages through a pipe. bench/python/ipc_bench.py does the same with Python's multiprocessing, and
 * bench/run-ipc.sh prints both side by side.
 *
 * <p>Plain Java, no JMH: wall-clock time around calls made the way an application makes them. Prints a Markdown
 * table ({@code --json}: JSON for bench/run-ipc.sh). Every child JVM has exited before it returns.
 */
public final class IpcBench {

    private static final List<String> METHODS = List.of("forkserver", "spawn");
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final int MIB = 1 << 20;

    private IpcBench() {
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        Map<String, List<PoolMetric>> results = new LinkedHashMap<>();
        measure(Multiprocess.getContext("spawn"), options.warmupOnly());
        for (String method : METHODS) {
            results.put(method, measure(Multiprocess.getContext(method), options));
        }
        if (options.json) {
            System.out.println(json(results));
        } else {
            results.forEach((method, metrics) -> metrics.forEach(m -> System.out.println(String.format(Locale.ROOT,
                    "| %s: %s | %.1f | %d |", method, m.label(), m.value(), m.n()))));
            System.out.println("child JVMs left running: " + Diagnostics.liveChildJvms().size());
        }
    }

    private static List<PoolMetric> measure(BaseContext context, Options options) throws Exception {
        List<PoolMetric> metrics = new ArrayList<>();
        metrics.add(queuePingPong(context, options));
        metrics.add(pipePingPong(context, options));
        metrics.add(pipeMegabytes(context, options));
        context.close();
        return metrics;
    }

    private static PoolMetric queuePingPong(BaseContext context, Options options) throws Exception {
        MpQueue<Integer> requests = context.queue();
        MpQueue<Integer> replies = context.queue();
        MpProcess child = context.process(() -> {
            int n;
            while ((n = requests.get()) >= 0) {
                replies.put(n);
            }
        });
        child.start();
        double[] micros = new double[options.count * options.reps];
        for (int i = 0; i < options.warmup; i++) {
            requests.put(i);
            replies.get();
        }
        BootedChildren.await();
        for (int i = 0; i < micros.length; i++) {
            long before = System.nanoTime();
            requests.put(i);
            replies.get();
            micros[i] = (System.nanoTime() - before) / 1e3;
        }
        requests.put(-1);
        finish(child);
        Stats stats = Stats.of(micros);
        return new PoolMetric("queue_pingpong_us", "queue ping-pong round trip, median (µs)", stats.median(),
                stats.n());
    }

    private static PoolMetric pipePingPong(BaseContext context, Options options) throws Exception {
        Pipe pipe = context.pipe();
        Connection parentEnd = pipe.first();
        Connection childEnd = pipe.second();
        MpProcess child = context.process(() -> {
            int n;
            while ((n = childEnd.<Integer>recv()) >= 0) {
                childEnd.send(n);
            }
        });
        child.start();
        childEnd.close();
        double[] micros = new double[options.count * options.reps];
        for (int i = 0; i < options.warmup; i++) {
            parentEnd.send(i);
            parentEnd.recv();
        }
        BootedChildren.await();
        for (int i = 0; i < micros.length; i++) {
            long before = System.nanoTime();
            parentEnd.send(i);
            parentEnd.recv();
            micros[i] = (System.nanoTime() - before) / 1e3;
        }
        parentEnd.send(-1);
        finish(child);
        parentEnd.close();
        Stats stats = Stats.of(micros);
        return new PoolMetric("pipe_pingpong_us", "pipe ping-pong round trip, median (µs)", stats.median(),
                stats.n());
    }

    private static PoolMetric pipeMegabytes(BaseContext context, Options options) throws Exception {
        Pipe pipe = context.pipe();
        Connection parentEnd = pipe.first();
        Connection childEnd = pipe.second();
        MpProcess child = context.process(() -> {
            while (true) {
                byte[] message = childEnd.recvBytes();
                if (message.length == 0) {
                    return;
                }
                if (message.length == 1) {
                    childEnd.sendBytes(message);
                }
            }
        });
        child.start();
        childEnd.close();
        byte[] payload = new byte[MIB];
        BootedChildren.await();
        Runnable sendAll = () -> {
            for (int i = 0; i < options.megabytes; i++) {
                parentEnd.sendBytes(payload);
            }
            // A one-byte message is acknowledged: the child has received every megabyte before it.
            parentEnd.sendBytes(new byte[1]);
            parentEnd.recvBytes();
        };
        WarmUp.run(sendAll);
        double[] rates = new double[options.reps];
        for (int rep = 0; rep < options.reps; rep++) {
            long before = System.nanoTime();
            sendAll.run();
            rates[rep] = options.megabytes / ((System.nanoTime() - before) / 1e9);
        }
        parentEnd.sendBytes(new byte[0]);
        finish(child);
        parentEnd.close();
        Stats stats = Stats.of(rates);
        return new PoolMetric("pipe_1mib_mibps", "1 MiB messages through a pipe, median (MiB/s)", stats.median(),
                stats.n());
    }

    private static void finish(MpProcess child) {
        if (!child.join(TIMEOUT)) {
            child.kill();
            throw new IllegalStateException("the benchmark's child did not finish within " + TIMEOUT);
        }
    }

    private static String json(Map<String, List<PoolMetric>> results) {
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT,
                "{\"runtime\": \"Java %s (%s)\", \"results\": {", System.getProperty("java.version"),
                System.getProperty("java.vm.name")));
        String methodSeparator = "";
        for (Map.Entry<String, List<PoolMetric>> entry : results.entrySet()) {
            out.append(methodSeparator).append('"').append(entry.getKey()).append("\": {");
            String separator = "";
            for (PoolMetric metric : entry.getValue()) {
                out.append(String.format(Locale.ROOT, "%s\"%s\": {\"value\": %.3f, \"n\": %d, \"label\": \"%s\"}",
                        separator, metric.key(), metric.value(), metric.n(), metric.label()));
                separator = ", ";
            }
            out.append('}');
            methodSeparator = ", ";
        }
        StringBuilder ascii = new StringBuilder();
        out.append("}}").chars().forEach(c -> ascii.append(c < 128 ? String.valueOf((char) c)
                : String.format("\\u%04x", c)));
        return ascii.toString();
    }

    /** --short (CI smoke), --count N ping-pongs per rep, --reps N, --warmup N, --mib N per rep, --json. */
    private static final class Options {
        int count = 2_000;
        int reps = 5;
        int warmup = 2_000;
        int megabytes = 200;
        boolean json;

        static Options parse(String[] args) {
            Options options = new Options();
            String usage = "usage: IpcBench [--short] [--count N] [--reps N] [--warmup N] [--mib N] [--json]";
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--short" -> {
                        options.count = 100;
                        options.reps = 1;
                        options.warmup = 100;
                        options.megabytes = 10;
                    }
                    case "--count" -> options.count = CommandLine.count(args, ++i, 1, usage);
                    case "--reps" -> options.reps = CommandLine.count(args, ++i, 1, usage);
                    case "--warmup" -> options.warmup = CommandLine.count(args, ++i, 0, usage);
                    case "--mib" -> options.megabytes = CommandLine.count(args, ++i, 1, usage);
                    case "--json" -> options.json = true;
                    default -> throw new IllegalArgumentException("unknown argument '" + args[i] + "'; " + usage);
                }
            }
            return options;
        }

        /** An unrecorded first pass, so the first start method measured does not pay for this JVM's cold code. */
        Options warmupOnly() {
            Options warm = new Options();
            warm.count = Math.min(count, 200);
            warm.reps = 1;
            warm.warmup = Math.min(warmup, 200);
            warm.megabytes = Math.min(megabytes, 10);
            return warm;
        }
    }
}
