package io.multiprocess.internal.launch;

import io.multiprocess.errors.MultiprocessException;
import io.multiprocess.internal.ConnectTimeout;
import io.multiprocess.internal.MpLogger;
import io.multiprocess.sharedmemory.ResourceTracker;
import java.io.DataOutputStream;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;

/**
 * Starts a child JVM: its command line, the process, the authkey on its private stdin, and what must watch it from
 * its first moment (the resource tracker, the startup archive's crash check, the connect deadline). What follows,
 * the handle on the running child, is {@link ChildJvm}.
 */
final class ChildLauncher {

    private static final Logger LOG = MpLogger.INSTANCE;

    private ChildLauncher() {
    }

    /**
     * Launches a child JVM that will call back on {@code server}.
     *
     * @param readyListener told when the child is READY while no request was assigned to it; non-null for a
     *     forkserver spare, null for a child whose request {@link ChildJvm#run} assigns at once
     */
    static ChildJvm launch(LaunchSettings settings, ControlServer server, Consumer<ChildJvm> readyListener) {
        return launch(settings, server, readyListener, List.of());
    }

    /**
     * As {@link #launch(LaunchSettings, ControlServer, Consumer)}, for a spare that also loads {@code loadAhead}
     * (without initializing them) before it reports READY.
     */
    static ChildJvm launch(LaunchSettings settings, ControlServer server, Consumer<ChildJvm> readyListener,
            List<String> loadAhead) {
        Duration connectTimeout = ConnectTimeout.get();
        JvmCommand.Launch launch = JvmCommand.build(settings, server.address(), readyListener != null, loadAhead);
        List<String> command = launch.command();
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectOutput(settings.relayOutput() ? Redirect.PIPE : Redirect.INHERIT)
                .redirectError(Redirect.PIPE)
                .redirectInput(Redirect.PIPE);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new MultiprocessException("cannot launch a child JVM with '" + command.get(0) + "': "
                    + e.getMessage() + ". Check the java executable set with setExecutable(...)", e);
        }
        ChildJvm child = new ChildJvm(process, readyListener, settings.relayOutput());
        if (launch.archive().archive() != null) {
            process.onExit().thenAccept(exited -> {
                if (!child.connected()) {
                    StartupArchive.distrustIfCrashed(launch.archive().archive(), exited.exitValue());
                }
            });
        }
        ResourceTracker.childLaunched(child.pid());
        process.onExit().thenRun(() -> ResourceTracker.childExited(child.pid()));
        server.expect(child);
        child.watchConnect(connectTimeout, Duration.ZERO, 0);
        // The authkey goes through the child's private stdin, never the command line; closing stdin then leaves
        // the child with an empty one, as Python gives its children.
        try (DataOutputStream stdin = new DataOutputStream(process.getOutputStream())) {
            byte[] key = server.authkey();
            stdin.writeInt(key.length);
            stdin.write(key);
        } catch (IOException e) {
            LOG.debug("child JVM {} exited before it read its authkey", child.pid(), e);
        }
        LOG.debug("launched child JVM {}: {}", child.pid(), command);
        return child;
    }
}
