package io.multiprocess.internal.launch;

import io.multiprocess.diagnostics.AcceptorStats;
import io.multiprocess.internal.LibraryThreads;
import io.multiprocess.internal.LibraryTimer;
import io.multiprocess.internal.MpLogger;
import io.multiprocess.internal.transport.Acceptor;
import io.multiprocess.internal.transport.Authentication;
import io.multiprocess.internal.transport.FrameChannel;
import io.multiprocess.internal.transport.FrameCodec;
import io.multiprocess.internal.transport.FrameTypes;
import io.multiprocess.internal.transport.RuntimeDirectory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;

/**
 * The UNIX-domain socket this JVM's children call back on. One per JVM, started on first launch.
 *
 * <p>Each connection must first pass the authkey challenge both ways, with a key this JVM generated and gave
 * only to its children through their private stdin; the shared {@link Acceptor} runs it, without a thread or a
 * buffer for the peer until it has passed. Only then does the child say which pid it is, and its channel is handed
 * to the matching {@link ChildJvm}. A peer that fails or stalls (30 s for the challenge and the pid together) is
 * dropped without a single byte of it being deserialized, and counted in {@link #acceptorStats()}.
 */
public final class ControlServer {

    private static final Logger LOG = MpLogger.INSTANCE;
    private static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(30);
    private static volatile ControlServer instance;

    private final Path address;
    private final byte[] authkey = new byte[32];
    private final ServerSocketChannel server;
    private final Acceptor.Endpoint endpoint;
    private final Map<Long, ChildJvm> expected = new ConcurrentHashMap<>();
    /** Reads the pid of an authenticated child: a thread for a peer that has proven it knows the key. */
    private final ExecutorService handshakes =
            Executors.newCachedThreadPool(LibraryThreads.factory("multiprocess-handshake"));

    private ControlServer() throws IOException {
        new SecureRandom().nextBytes(authkey);
        address = RuntimeDirectory.get().resolve("control.sock");
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            server.bind(UnixDomainSocketAddress.of(address));
            RuntimeDirectory.ownerOnly(address);
            endpoint = Acceptor.listen("the control socket " + address, server, () -> authkey,
                    () -> HANDSHAKE_TIMEOUT, (channel, peer) -> {
                        long acceptedAt = System.nanoTime();
                        handshakes.execute(() -> greet(channel, acceptedAt));
                        return true;
                    });
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
    }

    /** The server of this JVM, started if needed. */
    public static ControlServer get() {
        ControlServer s = instance;
        if (s == null) {
            synchronized (ControlServer.class) {
                s = instance;
                if (s == null) {
                    try {
                        s = new ControlServer();
                    } catch (IOException e) {
                        throw new UncheckedIOException("cannot open the control socket for child processes in "
                                + RuntimeDirectory.get() + "; check that the directory is writable", e);
                    }
                    instance = s;
                }
            }
        }
        return s;
    }

    /**
     * What the acceptor of this JVM's control socket has done so far, or null if the socket was never opened (no
     * child was started). Unlike {@link #get()}, never opens it: for health checks and meters.
     */
    public static AcceptorStats acceptorStatsIfOpen() {
        ControlServer s = instance;
        return s == null ? null : s.endpoint.stats();
    }

    /** Where children connect, or null if the socket was never opened. Unlike {@link #get()}, never opens it. */
    public static Path addressIfOpen() {
        ControlServer s = instance;
        return s == null ? null : s.address;
    }

    /** Where children connect. */
    public Path address() {
        return address;
    }

    /** How many peers failed the authkey challenge so far (a wrong digest, or this side's refused). */
    public long authenticationFailures() {
        return endpoint.stats().failedAuthentication();
    }

    /** What the control socket's acceptor has done so far: connections authenticated and dropped, by reason. */
    public AcceptorStats acceptorStats() {
        return endpoint.stats();
    }

    byte[] authkey() {
        return authkey.clone();
    }

    void expect(ChildJvm child) {
        expected.put(child.pid(), child);
        child.onExit().whenComplete((code, error) -> expected.remove(child.pid()));
    }

    /** Reads which child an authenticated peer is, within what is left of the handshake timeout. */
    private void greet(SocketChannel channel, long acceptedAt) {
        FrameChannel connection;
        try {
            channel.configureBlocking(true);
            connection = new FrameChannel(channel);
        } catch (IOException | RuntimeException e) {
            LOG.debug("dropped an authenticated connection on the control socket: {}", e.toString());
            closeQuietly(channel);
            return;
        }
        long left = HANDSHAKE_TIMEOUT.toNanos() - (System.nanoTime() - acceptedAt);
        ScheduledFuture<?> timeout = LibraryTimer.schedule(() -> closeQuietly(connection), Math.max(0, left),
                TimeUnit.NANOSECONDS);
        try {
            byte[] hello = connection.recvBytes(Authentication.MAX_UNAUTHENTICATED_MESSAGE);
            FrameCodec.Reader reader = FrameCodec.read(hello);
            if (hello.length != 9 || reader.type() != FrameTypes.Control.HELLO) {
                throw new IOException("expected HELLO from an authenticated child");
            }
            long pid = reader.getLong();
            ChildJvm child = expected.remove(pid);
            if (child == null) {
                throw new IOException("an authenticated peer claims pid " + pid + ", which is not a child "
                        + "this JVM is waiting for");
            }
            timeout.cancel(false);
            child.attach(connection);
        } catch (IOException | RuntimeException e) {
            LOG.debug("dropped a connection on the control socket: {}", e.toString());
            closeQuietly(connection);
        } finally {
            timeout.cancel(false);
        }
    }

    private static void closeQuietly(java.io.Closeable connection) {
        try {
            connection.close();
        } catch (IOException e) {
            // Nothing to do: the peer is being dropped.
        }
    }
}
