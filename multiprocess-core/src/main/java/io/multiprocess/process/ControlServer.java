package io.multiprocess.process;

import io.multiprocess.AuthenticationException;
import io.multiprocess.Multiprocess;
import io.multiprocess.connection.Authentication;
import io.multiprocess.connection.FrameChannel;
import io.multiprocess.connection.RuntimeDirectory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * The UNIX-domain socket this JVM's children call back on. One per JVM, started on first launch.
 *
 * <p>Each connection must first pass the authkey challenge both ways, with a key this JVM generated and gave
 * only to its children through their private stdin; only then does the child say which pid it is, and its
 * channel is handed to the matching {@link ChildJvm}. A peer that fails or stalls is dropped without a single
 * byte of it being deserialized.
 */
public final class ControlServer {

    private static final Logger LOG = Multiprocess.getLogger();
    private static final long HANDSHAKE_TIMEOUT_SECONDS = 30;
    private static volatile ControlServer instance;

    private final Path address;
    private final byte[] authkey = new byte[32];
    private final ServerSocketChannel server;
    private final Map<Long, ChildJvm> expected = new ConcurrentHashMap<>();
    private final ExecutorService handshakes = Executors.newCachedThreadPool(daemonThreads("multiprocess-handshake"));
    private final ScheduledExecutorService timeouts =
            Executors.newSingleThreadScheduledExecutor(daemonThreads("multiprocess-handshake-timeout"));
    private final AtomicLong authenticationFailures = new AtomicLong();

    private ControlServer() throws IOException {
        new SecureRandom().nextBytes(authkey);
        address = RuntimeDirectory.get().resolve("control.sock");
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(address));
        Thread acceptor = new Thread(this::acceptLoop, "multiprocess-control-server");
        acceptor.setDaemon(true);
        acceptor.start();
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

    /** Where children connect. */
    public Path address() {
        return address;
    }

    /** How many peers failed the authkey challenge so far. */
    public long authenticationFailures() {
        return authenticationFailures.get();
    }

    byte[] authkey() {
        return authkey.clone();
    }

    void expect(ChildJvm child) {
        expected.put(child.pid(), child);
        child.onExit().whenComplete((code, error) -> expected.remove(child.pid()));
    }

    private void acceptLoop() {
        while (server.isOpen()) {
            try {
                SocketChannel channel = server.accept();
                handshakes.execute(() -> handshake(new FrameChannel(channel)));
            } catch (IOException e) {
                if (server.isOpen()) {
                    LOG.warn("control server failed to accept a connection", e);
                }
            }
        }
    }

    private void handshake(FrameChannel connection) {
        ScheduledFuture<?> timeout = timeouts.schedule(() -> closeQuietly(connection), HANDSHAKE_TIMEOUT_SECONDS,
                TimeUnit.SECONDS);
        try {
            Authentication.authenticateAsServer(connection, authkey);
            byte[] hello = connection.recvBytes(Authentication.MAX_UNAUTHENTICATED_MESSAGE);
            if (hello.length != 9 || hello[0] != ControlMessage.HELLO) {
                throw new IOException("expected HELLO from an authenticated child");
            }
            long pid = ByteBuffer.wrap(hello, 1, 8).getLong();
            ChildJvm child = expected.remove(pid);
            if (child == null) {
                throw new IOException("an authenticated peer claims pid " + pid + ", which is not a child "
                        + "this JVM is waiting for");
            }
            timeout.cancel(false);
            child.attach(connection);
        } catch (AuthenticationException e) {
            authenticationFailures.incrementAndGet();
            LOG.warn("refused a connection on the control socket: {}", e.getMessage());
            closeQuietly(connection);
        } catch (IOException e) {
            LOG.debug("dropped a connection on the control socket: {}", e.toString());
            closeQuietly(connection);
        } finally {
            timeout.cancel(false);
        }
    }

    private static void closeQuietly(FrameChannel connection) {
        try {
            connection.close();
        } catch (IOException e) {
            // Nothing to do: the peer is being dropped.
        }
    }

    static java.util.concurrent.ThreadFactory daemonThreads(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
