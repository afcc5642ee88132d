package io.multiprocess.bench;

import io.multiprocess.Diagnostics;
import io.multiprocess.MpProcess;
import io.multiprocess.Multiprocess;
import io.multiprocess.connection.Client;
import io.multiprocess.connection.Connection;
import io.multiprocess.connection.Listener;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What a {@link Connection} between the parent and a child costs: ping-pong over {@link Listener}/{@link Client} on a
 * UNIX-domain socket. The child echoes whatever it receives; each figure is one full round trip, so both processes
 * send, receive and (for objects) reduce and load once each way:
 * <ul>
 *   <li>a small object ({@code List.of("ping", 42)}) with {@code send}/{@code recv} and the default reducer;</li>
 *   <li>a 64-byte message with {@code sendBytes}/{@code recvBytes}: the transport alone;</li>
 *   <li>a 1 MiB message with {@code sendBytes}/{@code recvBytes}, also given as bytes per second moved (2 MiB per
 *       round trip).</li>
 * </ul>
 * bench/python/connection_bench.py does the same with Python's {@code multiprocessing.connection}, and
 * bench/run-connection.sh prints both side by side.
 *
 * <p>Plain Java, no JMH. Prints a Markdown table ({@code --json}: JSON for bench/run-connection.sh). The child JVM
 * has exited before it returns.
 */
public final class ConnectionBench {

    private static final int SMALL_BYTES = 64;
    private static final int LARGE_BYTES = 1 << 20;
    private static final List<Object> SMALL_OBJECT = List.of("ping", 42);
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private ConnectionBench() {
    }

    public static void main(String[] args) throws Exception {
        ConnectionBenchOptions options = ConnectionBenchOptions.parse(args);
        List<PoolMetric> metrics = new ArrayList<>();
        try (Listener listener = Listener.bind()) {
            SocketAddress address = listener.address();
            MpProcess echo = Multiprocess.getContext().process(() -> echo(address));
            echo.start();
            try (Connection child = listener.accept()) {
                metrics.addAll(roundTrips(child, "object", "small object send/recv round trip",
                        options.warmup(), options.smallRoundTrips(), ConnectionBench::objectRoundTrip));
                child.send("bytes");
                byte[] small = new byte[SMALL_BYTES];
                metrics.addAll(roundTrips(child, "bytes64", "64 B sendBytes/recvBytes round trip",
                        options.warmup(), options.smallRoundTrips(), c -> bytesRoundTrip(c, small)));
                byte[] large = new byte[LARGE_BYTES];
                Arrays.fill(large, (byte) 1);
                List<PoolMetric> largeMetrics = roundTrips(child, "bytes1m", "1 MiB sendBytes/recvBytes round trip",
                        Math.max(1, options.warmup() / 100), options.largeRoundTrips(), c -> bytesRoundTrip(c, large));
                metrics.addAll(largeMetrics);
                double medianMicros = largeMetrics.get(0).value();
                metrics.add(new PoolMetric("bytes1m_mib_s", "1 MiB messages, bytes moved per second at the median"
                        + " round trip (MiB/s)", 2.0 / (medianMicros / 1e6), largeMetrics.get(0).n()));
                child.sendBytes(new byte[0]);
            }
            if (!echo.join(TIMEOUT)) {
                echo.kill();
                throw new IllegalStateException("the echo child did not exit within " + TIMEOUT.toSeconds() + " s");
            }
            if (echo.exitCode() != 0) {
                throw new IllegalStateException("the echo child exited with " + echo.exitCode());
            }
        }
        if (options.json()) {
            System.out.println(json(metrics));
        } else {
            System.out.println();
            System.out.println("| metric | ours | n |");
            System.out.println("|---|---:|---:|");
            metrics.forEach(m -> System.out.println(String.format(Locale.ROOT, "| %s | %s | %d |", m.label(),
                    PoolBench.format(m.value()), m.n())));
            System.out.println();
            System.out.println("child JVMs left running: " + Diagnostics.liveChildJvms().size());
        }
    }

    /** The child: echoes objects until told "bytes", then byte messages until an empty one. */
    private static void echo(SocketAddress address) {
        try (Connection parent = Client.connect(address)) {
            while (true) {
                Object message = parent.recv();
                if ("bytes".equals(message)) {
                    break;
                }
                parent.send(message);
            }
            while (true) {
                byte[] message = parent.recvBytes();
                if (message.length == 0) {
                    return;
                }
                parent.sendBytes(message);
            }
        }
    }

    private static void objectRoundTrip(Connection child) {
        child.send(SMALL_OBJECT);
        Object back = child.recv();
        if (!SMALL_OBJECT.equals(back)) {
            throw new IllegalStateException("the echo sent back " + back);
        }
    }

    private static void bytesRoundTrip(Connection child, byte[] message) {
        child.sendBytes(message);
        byte[] back = child.recvBytes();
        if (back.length != message.length) {
            throw new IllegalStateException("the echo sent back " + back.length + " bytes for " + message.length);
        }
    }

    private static List<PoolMetric> roundTrips(Connection child, String key, String label, int warmup, int count,
            RoundTrip roundTrip) {
        for (int i = 0; i < warmup; i++) {
            roundTrip.run(child);
        }
        double[] micros = new double[count];
        for (int i = 0; i < count; i++) {
            long before = System.nanoTime();
            roundTrip.run(child);
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

    @FunctionalInterface
    private interface RoundTrip {
        void run(Connection child);
    }
}
