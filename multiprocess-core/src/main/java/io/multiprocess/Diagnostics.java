package io.multiprocess;

import io.multiprocess.diagnostics.AcceptorStats;
import io.multiprocess.diagnostics.ChildJvmInfo;
import io.multiprocess.internal.hosting.ObjectHost;
import io.multiprocess.internal.launch.ControlServer;
import io.multiprocess.internal.launch.LiveChildren;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What this JVM's side of the library is doing, read without changing it: for health indicators, meters, benchmarks
 * and tests that must prove no child JVM was left behind.
 *
 * <pre>{@code
 * pool.close();
 * boolean onlySpares = Diagnostics.liveChildJvms().stream().allMatch(ChildJvmInfo::idleSpare);
 * Diagnostics.libraryAcceptors().forEach((socket, stats) -> log.info("{}: {} refused", socket, stats.refused()));
 * }</pre>
 */
public final class Diagnostics {

    private Diagnostics() {
    }

    /**
     * The child JVMs this JVM launched that have not exited yet: processes, pool workers and idle forkserver
     * spares. Unlike {@link Multiprocess#activeChildren()}, it sees every JVM, including those not (or no longer)
     * attached to an {@link MpProcess}.
     */
    public static List<ChildJvmInfo> liveChildJvms() {
        return LiveChildren.all().stream()
                .map(child -> new ChildJvmInfo(child.pid(), child.isReady(), child.isIdleSpare()))
                .toList();
    }

    /** Where this JVM's children connect back (its control socket), or empty if no child was started yet. */
    public static Optional<Path> controlSocket() {
        return Optional.ofNullable(ControlServer.addressIfOpen());
    }

    /**
     * What the acceptors of this JVM's own sockets have refused so far, by socket: {@code control} (where children
     * connect back) and {@code host} (where other processes reach the queues and pipes this one sent them). A socket
     * that was never opened is absent. Listeners the application opens report their own, through
     * {@link io.multiprocess.connection.Listener#acceptorStats()}.
     */
    public static Map<String, AcceptorStats> libraryAcceptors() {
        Map<String, AcceptorStats> open = new LinkedHashMap<>();
        AcceptorStats control = ControlServer.acceptorStatsIfOpen();
        if (control != null) {
            open.put("control", control);
        }
        AcceptorStats host = ObjectHost.acceptorStats();
        if (host != null) {
            open.put("host", host);
        }
        return open;
    }
}
