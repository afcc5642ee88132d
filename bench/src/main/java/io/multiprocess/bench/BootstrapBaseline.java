package io.multiprocess.bench;

import io.multiprocess.connection.Connection;
import io.multiprocess.connection.Listener;
import io.multiprocess.function.SerializableRunnable;
import io.multiprocess.reduction.Reducer;
import io.multiprocess.reduction.Reducers;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

/**
 * The fair baseline for a {@code spawn} start: the very command line a spawned child gets (same java, same JVM
 * flags including the startup archive's, same classpath) with {@link BootstrapMain} in place of the library's
 * child main, doing the same bootstrap a child does before its target runs. Timed from just before
 * {@code ProcessBuilder.start()} to the target's first line, as a spawn start is timed from just before
 * {@code start()}; the target is reduced inside that window too, as {@code start()} reduces the process.
 */
final class BootstrapBaseline implements AutoCloseable {

    private final List<String> command;
    private final Path socket;
    private final Listener server;
    private final byte[] key = new byte[32];
    private final Reducer reducer;

    /**
     * @param spawnCommand the command line of a spawned child, as read from {@code /proc}
     * @param childMain the child main class in it, replaced with {@link BootstrapMain} and its own arguments
     */
    BootstrapBaseline(List<String> spawnCommand, String childMain, String reducerName, Path dir) throws IOException {
        int main = spawnCommand.indexOf(childMain);
        if (main < 0) {
            throw new IllegalStateException("no " + childMain + " in the spawned child's command " + spawnCommand);
        }
        socket = dir.resolve("bootstrap.sock");
        command = new ArrayList<>(spawnCommand.subList(0, main));
        command.add(BootstrapMain.class.getName());
        command.add(socket.toString());
        command.add(reducerName);
        new SecureRandom().nextBytes(key);
        reducer = Reducers.byName(reducerName);
        server = Listener.bind(UnixDomainSocketAddress.of(socket), key);
    }

    /** The command run for each start, for the report. */
    List<String> command() {
        return List.copyOf(command);
    }

    /**
     * Runs one child to completion.
     *
     * @param target what the child runs; records the time it starts
     * @return the value of {@link System#nanoTime()} just before the launch
     */
    long start(SerializableRunnable target) throws IOException, InterruptedException {
        long before = System.nanoTime();
        byte[] payload = reducer.dumps(target);
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.INHERIT)
                .redirectError(ProcessBuilder.Redirect.INHERIT).redirectInput(ProcessBuilder.Redirect.PIPE);
        Process process = builder.start();
        try {
            try (DataOutputStream stdin = new DataOutputStream(process.getOutputStream())) {
                stdin.writeInt(key.length);
                stdin.write(key);
            }
            try (Connection connection = server.accept()) {
                connection.sendBytes(payload);
                int exit = process.waitFor();
                if (exit != 0) {
                    throw new IllegalStateException("same-bootstrap baseline JVM exited with " + exit + ": " + command);
                }
            }
        } finally {
            process.destroyForcibly();
        }
        return before;
    }

    @Override
    public void close() throws IOException {
        server.close();
        Files.deleteIfExists(socket);
    }
}
