package io.multiprocess.connection;

import static org.assertj.core.api.Assertions.assertThat;

import io.multiprocess.internal.transport.Acceptor;
import io.multiprocess.reduction.Reducers;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Floods of unauthenticated connections against a real JVM with a small heap ({@link FloodTarget}): its threads stay
 * as they were, and real peers still get in. {@code -Dmultiprocess.reliability.full=true} floods with 10,000
 * connections instead of 2,000 and prints the figures.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class AcceptorFloodTest {

    private static final boolean FULL = Boolean.getBoolean("multiprocess.reliability.full");
    private static final int FLOOD = Integer.getInteger("multiprocess.reliability.flood", FULL ? 10_000 : 2_000);
    private static final byte[] KEY = "flood test key".getBytes(StandardCharsets.UTF_8);

    @Test
    void connectionsHeldOpenOnTheControlSocketCostNoThreadAndChildrenStillStart() throws Exception {
        try (Target target = Target.launch(List.of(), "control")) {
            target.stats();
            int threadsBefore = target.status("Threads");
            List<SocketChannel> flood = new ArrayList<>();
            try {
                for (int i = 0; i < FLOOD; i++) {
                    flood.add(connect(target.address));
                }
                String stats = target.awaitAccepted(FLOOD);
                int threadsDuring = target.status("Threads");
                figure("control socket, " + FLOOD + " idle unauthenticated connections held: threads " + threadsBefore
                        + " -> " + threadsDuring + ", RSS " + target.status("VmRSS") / 1024 + " MB; " + stats);

                assertThat(threadsDuring - threadsBefore).as("threads added by the flood").isLessThanOrEqualTo(2);
                assertThat(count(stats, "inHandshake")).isLessThanOrEqualTo(Acceptor.DEFAULT_MAX_HANDSHAKES);
                assertThat(count(stats, "tooMany")).isGreaterThanOrEqualTo(FLOOD - Acceptor.DEFAULT_MAX_HANDSHAKES);

                String child = target.command("child");
                figure("control socket flooded: a child started and joined in " + child.split(" ")[2] + " ms");
                assertThat(child).startsWith("child 0 ");
            } finally {
                closeAll(flood);
            }
        }
    }

    @Test
    void aListenerFloodedByHeldAndByShortConnectionsStillAcceptsARealClient() throws Exception {
        try (Target target = Target.launch(List.of(), "listener", HexFormat.of().formatHex(KEY), "10000")) {
            UnixDomainSocketAddress address = UnixDomainSocketAddress.of(target.address);
            roundTrip(address);
            int threadsBefore = target.status("Threads");
            List<SocketChannel> flood = new ArrayList<>();
            try {
                for (int i = 0; i < FLOOD; i++) {
                    flood.add(connect(target.address));
                }
                long start = System.nanoTime();
                String reply = roundTrip(address);
                long millis = (System.nanoTime() - start) / 1_000_000;
                int threadsDuring = target.status("Threads");
                figure("listener, " + FLOOD + " idle unauthenticated connections held: threads " + threadsBefore
                        + " -> " + threadsDuring + ", RSS " + target.status("VmRSS") / 1024 + " MB; a real client got"
                        + " in and had its answer in " + millis + " ms");
                assertThat(threadsDuring - threadsBefore).as("threads added by the flood").isLessThanOrEqualTo(2);
                assertThat(count(reply, "tooMany")).isGreaterThanOrEqualTo(FLOOD - Acceptor.DEFAULT_MAX_HANDSHAKES);
            } finally {
                closeAll(flood);
            }

            for (int i = 0; i < FLOOD; i++) {
                connect(target.address).close();
            }
            String reply = roundTrip(address);
            int threadsAfter = target.status("Threads");
            assertThat(threadsAfter - threadsBefore).isLessThanOrEqualTo(2);
            assertThat(count(reply, "accepted")).isGreaterThanOrEqualTo(2L * FLOOD + 3);
            assertThat(count(reply, "authenticated")).isEqualTo(3);
        }
    }

    @Test
    void runningOutOfFileDescriptorsMakesTheAcceptorGiveWayNotSpinOrDie() throws Exception {
        // Low enough that the flood exhausts it, high enough for the JVM to start with the test classpath.
        int limit = 128;
        try (Target target = Target.launch(List.of("bash", "-c", "ulimit -n " + limit + "; exec \"$@\"", "bash"),
                "listener", HexFormat.of().formatHex(KEY), "2000")) {
            UnixDomainSocketAddress address = UnixDomainSocketAddress.of(target.address);
            List<SocketChannel> flood = new ArrayList<>();
            try {
                for (int i = 0; i < 2 * limit; i++) {
                    flood.add(connect(target.address));
                }
                String reply = CompletableFuture.supplyAsync(() -> roundTrip(address)).get(60, TimeUnit.SECONDS);
                assertThat(count(reply, "acceptErrors")).as("accepts that failed for lack of descriptors").isPositive();
                assertThat(reply).startsWith("ping ");
                figure("listener under ulimit -n " + limit + " flooded with " + 2 * limit + " connections: " + reply);
            } finally {
                closeAll(flood);
            }
            assertThat(roundTrip(address)).startsWith("ping ");
            long cpuBefore = target.cpuTicks();
            Thread.sleep(1000);
            assertThat(target.cpuTicks() - cpuBefore).as("CPU ticks of an idle target (no spinning)")
                    .isLessThan(50);
        }
    }

    private static String roundTrip(UnixDomainSocketAddress address) {
        try (Connection connection = Client.connect(address, KEY, Reducers.byName("java"))) {
            connection.send("ping");
            return connection.recv();
        }
    }

    private static SocketChannel connect(Path socket) throws IOException {
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        channel.connect(UnixDomainSocketAddress.of(socket));
        return channel;
    }

    private static void closeAll(List<SocketChannel> channels) {
        for (SocketChannel channel : channels) {
            try {
                channel.close();
            } catch (IOException e) {
                // Closing anyway.
            }
        }
    }

    static long count(String stats, String name) {
        Matcher matcher = Pattern.compile("\\b" + name + "=(\\d+)").matcher(stats);
        if (!matcher.find()) {
            throw new AssertionError("no " + name + " in " + stats);
        }
        return Long.parseLong(matcher.group(1));
    }

    private static void figure(String line) {
        System.out.println("FIGURE " + line);
    }

    /** A {@link FloodTarget} JVM with a 64 MB heap. */
    private static final class Target implements AutoCloseable {
        final Process process;
        final Path address;
        private final BufferedReader out;
        private final PrintWriter in;

        private Target(Process process) throws IOException {
            this.process = process;
            out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            in = new PrintWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8), true);
            String line = out.readLine();
            if (line == null || !line.startsWith("address ")) {
                process.destroyForcibly();
                throw new IOException("the flood target did not start: " + line);
            }
            address = Path.of(line.substring("address ".length()));
        }

        static Target launch(List<String> wrapper, String... args) throws IOException {
            List<String> command = new ArrayList<>(wrapper);
            command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx64m",
                    "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), FloodTarget.class.getName()));
            command.addAll(List.of(args));
            return new Target(new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start());
        }

        String command(String command) throws IOException {
            in.println(command);
            String line = out.readLine();
            if (line == null) {
                throw new IOException("the flood target exited");
            }
            return line;
        }

        String stats() throws IOException {
            return command("stats");
        }

        String awaitAccepted(long count) throws Exception {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            String stats = stats();
            while (count(stats, "accepted") < count && System.nanoTime() < deadline) {
                Thread.sleep(20);
                stats = stats();
            }
            return stats;
        }

        /** A figure of /proc/pid/status in its unit (kB for memory). */
        int status(String field) throws IOException {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                if (line.startsWith(field + ":")) {
                    return Integer.parseInt(line.substring(field.length() + 1).trim().split("\\s+")[0]);
                }
            }
            throw new IOException("no " + field + " in /proc/" + process.pid() + "/status");
        }

        /** User and system CPU ticks of the target so far. */
        long cpuTicks() throws IOException {
            String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[14 - 3]) + Long.parseLong(fields[15 - 3]);
        }

        @Override
        public void close() throws Exception {
            in.println("exit");
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
