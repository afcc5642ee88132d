package io.multiprocess.connection;

import io.multiprocess.MpProcess;
import io.multiprocess.Multiprocess;
import io.multiprocess.diagnostics.AcceptorStats;
import io.multiprocess.errors.AuthenticationException;
import io.multiprocess.internal.launch.ControlServer;
import io.multiprocess.reduction.Reducers;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;

/**
 * A JVM to flood, for {@link AcceptorFloodTest}: prints {@code address <socket path>}, then answers commands on
 * stdin, one line each.
 *
 * <p>Arguments: {@code control} (the control socket children call back on) or {@code listener <hex authkey>
 * <handshake timeout ms>} (a {@link Listener} that echoes one message per accepted connection, with its figures).
 * Commands: {@code child} starts a child process, joins it and prints {@code child <exit code> <ms>};
 * {@code stats} prints {@code stats <AcceptorStats>}; {@code exit}.
 */
public final class FloodTarget {

    public static void main(String[] args) throws Exception {
        java.util.function.Supplier<AcceptorStats> stats;
        if (args[0].equals("control")) {
            ControlServer server = ControlServer.get();
            stats = server::acceptorStats;
            System.out.println("address " + server.address());
        } else {
            Listener listener = Listener.bind(null, HexFormat.of().parseHex(args[1]));
            listener.setHandshakeTimeout(Duration.ofMillis(Long.parseLong(args[2])));
            listener.setReducer(Reducers.byName("java"));
            stats = listener::acceptorStats;
            Thread echo = new Thread(() -> echo(listener), "flood-target-echo");
            echo.setDaemon(true);
            echo.start();
            System.out.println("address " + ((UnixDomainSocketAddress) listener.address()).getPath());
        }
        System.out.flush();
        BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String command;
        while ((command = commands.readLine()) != null) {
            switch (command) {
                case "child" -> {
                    long start = System.nanoTime();
                    MpProcess child = Multiprocess.getContext("spawn").process(() -> { });
                    child.start();
                    child.join(java.time.Duration.ofSeconds(60));
                    System.out.println("child " + child.exitCode() + " " + (System.nanoTime() - start) / 1_000_000);
                }
                case "stats" -> System.out.println("stats " + stats.get());
                case "exit" -> System.exit(0);
                default -> System.out.println("unknown command " + command);
            }
            System.out.flush();
        }
    }

    private static void echo(Listener listener) {
        while (true) {
            try (Connection connection = listener.accept()) {
                String message = connection.recv();
                connection.send(message + " " + listener.acceptorStats());
            } catch (AuthenticationException e) {
                // Counted by the acceptor; the next peer may be a real one.
            } catch (RuntimeException e) {
                if (listener.isClosed()) {
                    return;
                }
            }
        }
    }
}
