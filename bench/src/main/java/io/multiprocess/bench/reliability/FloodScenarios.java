package io.multiprocess.bench.reliability;

import io.multiprocess.connection.Client;
import io.multiprocess.connection.Connection;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Unauthenticated peers against a parent with a small heap: floods of connections, held open or opened and closed
 * in a loop, and garbage in place of the handshake. The parent is {@link FloodTarget}, a JVM of its own.
 */
final class FloodScenarios {

    /** Threads and memory a flood may add to the parent while it lasts, and threads left after it. */
    private static final int THREADS_DURING = 32;
    private static final long RSS_DURING_KIB = 64 * 1024;
    private static final int THREADS_AFTER = 8;

    private FloodScenarios() {
    }

    static List<Scenario> all() {
        String bounded = String.format(Locale.ROOT, "the parent (-Xmx128m) stays alive, its tasks complete during "
                + "and after, it adds at most %d threads and %d MiB of RSS during the flood and keeps at most %d "
                + "more threads after", THREADS_DURING, RSS_DURING_KIB / 1024, THREADS_AFTER);
        return List.of(
                new Scenario("flood-held", "Flood of unauthenticated connections held open", bounded,
                        FloodScenarios::floodHeld),
                new Scenario("flood-loop", "Flood of unauthenticated connections opened and closed in a loop",
                        bounded, FloodScenarios::floodLoop),
                new Scenario("garbage-frames", "Garbage and oversize frames instead of the handshake",
                        "each peer is dropped within 100 ms, before any large allocation; the parent stays alive, "
                                + "its tasks complete and a real client still connects",
                        FloodScenarios::garbageFrames));
    }

    /** The target JVM and its lines. */
    static final class Target implements AutoCloseable {
        final Process process;
        final BufferedReader out;
        final PrintWriter in;
        final Path control;
        final Path listener;
        final byte[] key;
        final ExecutorService reader = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "flood-target-reader");
            thread.setDaemon(true);
            return thread;
        });

        Target(Scenario.Settings settings) throws Exception {
            process = ReliabilityBench.javaMain(settings, List.of("-Xmx128m"), FloodTarget.class)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            in = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
            Map<String, String> lines = new LinkedHashMap<>();
            for (String line = line(60); !"READY".equals(line); line = line(60)) {
                if (line == null) {
                    throw new IOException("the target JVM exited before it was ready");
                }
                int space = line.indexOf(' ');
                lines.put(line.substring(0, space), line.substring(space + 1));
            }
            control = Path.of(lines.get("CONTROL"));
            listener = Path.of(lines.get("LISTENER"));
            key = HexFormat.of().parseHex(lines.get("KEY"));
        }

        String line(int seconds) throws Exception {
            CompletableFuture<String> next = CompletableFuture.supplyAsync(() -> {
                try {
                    return out.readLine();
                } catch (IOException e) {
                    return null;
                }
            }, reader);
            try {
                return next.get(seconds, TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                return "FAIL no answer within " + seconds + " s";
            }
        }

        /** "OK n ms" when three tasks completed, else why not. */
        String check() throws Exception {
            if (!process.isAlive()) {
                return "parent dead (exit " + process.exitValue() + ")";
            }
            in.println("check");
            String answer = line(100);
            if (answer == null) {
                return "parent dead";
            }
            return answer.startsWith("OK ") ? "ok" : answer;
        }

        String stats() throws Exception {
            if (!process.isAlive()) {
                return "";
            }
            in.println("stats");
            String answer = line(30);
            return answer == null ? "" : answer;
        }

        long pid() {
            return process.pid();
        }

        @Override
        public void close() {
            List<ProcessHandle> children = Os.descendants(process.pid());
            process.destroyForcibly();
            children.forEach(ProcessHandle::destroyForcibly);
            reader.shutdownNow();
        }
    }

    /** Samples a process's threads and RSS every 50 ms and keeps the highest. */
    static final class Peak implements AutoCloseable {
        final AtomicLong threads = new AtomicLong();
        final AtomicLong rssKib = new AtomicLong();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread sampler;

        Peak(long pid) {
            sampler = new Thread(() -> {
                while (running.get()) {
                    threads.accumulateAndGet(Os.threads(pid), Math::max);
                    rssKib.accumulateAndGet(Os.rssKib(pid), Math::max);
                    Os.sleep(50);
                }
            }, "flood-peak");
            sampler.setDaemon(true);
            sampler.start();
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            sampler.join();
        }
    }

    static SocketChannel connect(Path socket) throws IOException {
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            channel.connect(UnixDomainSocketAddress.of(socket));
            return channel;
        } catch (IOException e) {
            channel.close();
            throw e;
        }
    }

    static Scenario.Result floodHeld(Size size, Scenario.Settings settings) throws Exception {
        int count = size.pick(500, 10_000);
        List<SocketChannel> held = new ArrayList<>();
        try (Target target = new Target(settings)) {
            long threadsBefore = Os.threads(target.pid());
            long rssBefore = Os.rssKib(target.pid());
            String stopped = "";
            String during;
            long closedByParent = 0;
            Peak peak = new Peak(target.pid());
            long started = System.nanoTime();
            try {
                ExecutorService opener = Executors.newSingleThreadExecutor();
                try {
                    for (int i = 0; i < count; i++) {
                        try {
                            held.add(opener.submit(() -> connect(target.control)).get(10, TimeUnit.SECONDS));
                        } catch (java.util.concurrent.TimeoutException e) {
                            stopped = "connect " + (i + 1) + " blocked for 10 s; ";
                            break;
                        } catch (java.util.concurrent.ExecutionException e) {
                            stopped = "connect " + (i + 1) + " failed (" + ReliabilityBench.describe(e.getCause())
                                    + "); ";
                            break;
                        }
                    }
                } finally {
                    opener.shutdownNow();
                }
                during = target.check();
                Os.sleep(2_000);
                closedByParent = closedByPeer(held);
            } finally {
                peak.close();
            }
            double openSeconds = (System.nanoTime() - started) / 1e9;
            for (SocketChannel channel : held) {
                channel.close();
            }
            Os.sleep(3_000);
            return report(target, String.format(Locale.ROOT, "%d connections to the control socket of a parent "
                    + "with -Xmx128m and pool(1), never writing a byte; held 2 s after the last, then closed", count),
                    String.format(Locale.ROOT, "%sopened %,d in %.1f s, %,d closed by the parent while held",
                            stopped, held.size(), openSeconds, closedByParent),
                    threadsBefore, rssBefore, peak, during);
        } finally {
            for (SocketChannel channel : held) {
                channel.close();
            }
        }
    }

    static Scenario.Result floodLoop(Size size, Scenario.Settings settings) throws Exception {
        int count = size.pick(500, 10_000);
        try (Target target = new Target(settings)) {
            long threadsBefore = Os.threads(target.pid());
            long rssBefore = Os.rssKib(target.pid());
            AtomicInteger opened = new AtomicInteger();
            AtomicInteger failed = new AtomicInteger();
            AtomicInteger next = new AtomicInteger();
            String during;
            long started = System.nanoTime();
            Peak peak = new Peak(target.pid());
            try {
                List<Thread> threads = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    Thread thread = new Thread(() -> {
                        while (next.getAndIncrement() < count) {
                            try (SocketChannel channel = connect(target.control)) {
                                opened.incrementAndGet();
                            } catch (IOException e) {
                                failed.incrementAndGet();
                            }
                        }
                    }, "flood-loop-" + t);
                    thread.start();
                    threads.add(thread);
                }
                for (Thread thread : threads) {
                    thread.join(300_000);
                }
                during = target.check();
            } finally {
                peak.close();
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            Os.sleep(3_000);
            return report(target, String.format(Locale.ROOT, "%,d connections to the control socket of a parent "
                    + "with -Xmx128m and pool(1), each opened and closed at once, from 4 threads", count),
                    String.format(Locale.ROOT, "%,d opened, %,d refused in %.1f s", opened.get(), failed.get(),
                            seconds), threadsBefore, rssBefore, peak, during);
        }
    }

    private static Scenario.Result report(Target target, String done, String flood, long threadsBefore,
            long rssBefore, Peak peak, String during) throws Exception {
        String after = target.check();
        long threadsAfter = Os.threads(target.pid());
        long rssAfter = Os.rssKib(target.pid());
        boolean alive = target.process.isAlive();
        boolean held = alive && during.equals("ok") && after.equals("ok")
                && peak.threads.get() <= threadsBefore + THREADS_DURING
                && peak.rssKib.get() <= rssBefore + RSS_DURING_KIB && threadsAfter <= threadsBefore + THREADS_AFTER;
        String figure = String.format(Locale.ROOT, "%s; parent %s; tasks during: %s, after: %s; threads %d → peak "
                + "%d → %s after; RSS %s → peak %s → %s after", flood, alive ? "alive"
                : "DEAD (exit " + target.process.exitValue() + ")", during, after, threadsBefore, peak.threads.get(),
                threadsAfter < 0 ? "gone" : Long.toString(threadsAfter), Os.mib(rssBefore), Os.mib(peak.rssKib.get()),
                Os.mib(rssAfter));
        return new Scenario.Result(done, figure, held);
    }

    /** How many of {@code channels} the other side has closed (a read sees the end, or a reset). */
    private static long closedByPeer(List<SocketChannel> channels) throws IOException {
        long closed = 0;
        ByteBuffer buffer = ByteBuffer.allocate(4096);
        for (SocketChannel channel : channels) {
            channel.configureBlocking(false);
            try {
                int read;
                do {
                    buffer.clear();
                    read = channel.read(buffer);
                } while (read > 0);
                closed += read < 0 ? 1 : 0;
            } catch (IOException e) {
                closed++;
            }
        }
        return closed;
    }

    /** The garbage a peer sends in place of the handshake, by name. */
    private static Map<String, byte[]> garbage() {
        Map<String, byte[]> kinds = new LinkedHashMap<>();
        ByteBuffer huge = ByteBuffer.allocate(4 + 64).putInt(Integer.MAX_VALUE);
        kinds.put("2 GB length prefix", huge.array());
        kinds.put("HTTP request", "GET / HTTP/1.1\r\nHost: localhost\r\nUser-Agent: curl/8\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII));
        byte[] random = new byte[1024];
        new Random(42).nextBytes(random);
        kinds.put("1 KiB of random bytes", random);
        ByteBuffer answer = ByteBuffer.allocate(4 + 32).putInt(32);
        byte[] digest = new byte[32];
        new Random(7).nextBytes(digest);
        answer.put(digest);
        kinds.put("a wrong HMAC answer", answer.array());
        return kinds;
    }

    static Scenario.Result garbageFrames(Size size, Scenario.Settings settings) throws Exception {
        int rounds = size.pick(3, 20);
        try (Target target = new Target(settings)) {
            long threadsBefore = Os.threads(target.pid());
            long rssBefore = Os.rssKib(target.pid());
            StringBuilder figure = new StringBuilder();
            boolean allDropped = true;
            for (Map.Entry<String, Path> socket : Map.of("control socket", target.control, "Listener",
                    target.listener).entrySet().stream().sorted(Map.Entry.comparingByKey()).toList()) {
                figure.append(figure.length() == 0 ? "" : "; ").append(socket.getKey()).append(": ");
                String separator = "";
                for (Map.Entry<String, byte[]> kind : garbage().entrySet()) {
                    double worst = 0;
                    int dropped = 0;
                    for (int round = 0; round < rounds; round++) {
                        double millis = millisUntilDropped(socket.getValue(), kind.getValue(),
                                kind.getKey().startsWith("a wrong HMAC"));
                        if (millis >= 0) {
                            dropped++;
                            worst = Math.max(worst, millis);
                        }
                    }
                    allDropped &= dropped == rounds && worst < 100;
                    figure.append(separator).append(String.format(Locale.ROOT, "%s %s", kind.getKey(),
                            dropped == rounds ? String.format(Locale.ROOT, "dropped in ≤ %.1f ms", worst)
                                    : String.format(Locale.ROOT, "dropped %d of %d within 5 s", dropped, rounds)));
                    separator = ", ";
                }
            }
            String check = target.check();
            String client;
            try (Connection connection = Client.connect(UnixDomainSocketAddress.of(target.listener), target.key)) {
                client = "a real client connects";
            } catch (RuntimeException e) {
                client = "a real client FAILS: " + ReliabilityBench.describe(e);
            }
            String stats = target.stats();
            long threadsAfter = Os.threads(target.pid());
            long rssAfter = Os.rssKib(target.pid());
            boolean alive = target.process.isAlive();
            figure.append(String.format(Locale.ROOT, "; parent %s, tasks %s, %s; accept loop %s; threads %d → %d, "
                    + "RSS %s → %s", alive ? "alive" : "DEAD", check, client, stats, threadsBefore, threadsAfter,
                    Os.mib(rssBefore), Os.mib(rssAfter)));
            boolean held = allDropped && alive && check.equals("ok") && client.equals("a real client connects");
            return new Scenario.Result(String.format(Locale.ROOT, "to the control socket and to a Listener of a "
                    + "parent with -Xmx128m: a 2 GB length prefix, an HTTP request, 1 KiB of random bytes, a wrong "
                    + "HMAC answer, %d times each; time from the last byte sent to the connection's end", rounds),
                    figure.toString(), held);
        }
    }

    /** Milliseconds from sending {@code bytes} until the peer ends the connection, or -1 if it did not in 5 s. */
    private static double millisUntilDropped(Path socket, byte[] bytes, boolean afterChallenge) throws IOException {
        try (SocketChannel channel = connect(socket); Selector selector = Selector.open()) {
            if (afterChallenge) {
                ByteBuffer length = ByteBuffer.allocate(4);
                while (length.hasRemaining()) {
                    if (channel.read(length) < 0) {
                        return -1;
                    }
                }
                ByteBuffer challenge = ByteBuffer.allocate(length.flip().getInt());
                while (challenge.hasRemaining()) {
                    channel.read(challenge);
                }
            }
            channel.write(ByteBuffer.wrap(bytes));
            long sent = System.nanoTime();
            channel.configureBlocking(false);
            channel.register(selector, SelectionKey.OP_READ);
            ByteBuffer buffer = ByteBuffer.allocate(4096);
            long deadline = sent + 5_000_000_000L;
            while (System.nanoTime() < deadline) {
                selector.select(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
                selector.selectedKeys().clear();
                try {
                    int read;
                    do {
                        buffer.clear();
                        read = channel.read(buffer);
                    } while (read > 0);
                    if (read < 0) {
                        return (System.nanoTime() - sent) / 1e6;
                    }
                } catch (IOException e) {
                    return (System.nanoTime() - sent) / 1e6;
                }
            }
            return -1;
        }
    }
}
