package io.multiprocess.bench.reliability;

import io.multiprocess.Diagnostics;
import io.multiprocess.Multiprocess;
import io.multiprocess.ProcessPool;
import io.multiprocess.connection.Connection;
import io.multiprocess.connection.Listener;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The parent the flood and garbage scenarios attack, run with a small heap (-Xmx128m): a pool of 1 whose control
 * socket is the target, and a {@link Listener} served by an accept loop as an application would write one.
 *
 * <p>Prints {@code CONTROL path}, {@code LISTENER path}, {@code KEY hex} (the listener's authkey, so the harness can
 * show a real client still gets through) and {@code READY}; then answers commands on stdin, one line each:
 * {@code check} runs three tasks on the pool and prints {@code OK millis} or {@code FAIL reason}; {@code stats}
 * prints {@code STATS accepted refused} of the accept loop.
 */
public final class FloodTarget {

    private FloodTarget() {
    }

    public static void main(String[] args) throws Exception {
        ProcessPool pool = Multiprocess.getContext().pool(1);
        pool.apply(() -> 0);
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        Listener listener = Listener.bind(null, key);
        AtomicLong accepted = new AtomicLong();
        AtomicLong refused = new AtomicLong();
        Thread acceptLoop = new Thread(() -> {
            while (!listener.isClosed()) {
                try (Connection connection = listener.accept()) {
                    accepted.incrementAndGet();
                } catch (Exception e) {
                    refused.incrementAndGet();
                }
            }
        }, "flood-target-accept");
        acceptLoop.setDaemon(true);
        acceptLoop.start();
        System.out.println("CONTROL " + Diagnostics.controlSocket().orElseThrow());
        System.out.println("LISTENER " + ((UnixDomainSocketAddress) listener.address()).getPath());
        System.out.println("KEY " + HexFormat.of().formatHex(key));
        System.out.println("READY");
        System.out.flush();
        BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String command = commands.readLine(); command != null; command = commands.readLine()) {
            switch (command) {
                case "check" -> {
                    long before = System.nanoTime();
                    try {
                        for (int i = 0; i < 3; i++) {
                            int n = i;
                            if (pool.applyAsync(() -> n + 1).get(Duration.ofSeconds(30)) != n + 1) {
                                throw new IllegalStateException("wrong result");
                            }
                        }
                        System.out.println("OK " + (System.nanoTime() - before) / 1_000_000);
                    } catch (RuntimeException e) {
                        System.out.println("FAIL " + String.valueOf(e).replace('\n', ' '));
                    }
                }
                case "stats" -> System.out.println("STATS " + accepted.get() + " " + refused.get()
                        + (acceptLoop.isAlive() ? "" : " accept-loop-dead"));
                default -> System.out.println("FAIL unknown command " + command);
            }
            System.out.flush();
        }
        pool.terminate();
        System.exit(0);
    }
}
