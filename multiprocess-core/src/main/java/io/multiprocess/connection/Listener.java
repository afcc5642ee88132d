package io.multiprocess.connection;

import io.multiprocess.diagnostics.AcceptorStats;
import io.multiprocess.errors.AuthenticationException;
import io.multiprocess.internal.CurrentProcess;
import io.multiprocess.internal.context.ContextDefaults;
import io.multiprocess.internal.transport.Acceptor;
import io.multiprocess.internal.transport.FrameChannel;
import io.multiprocess.internal.transport.RuntimeDirectory;
import io.multiprocess.reduction.HandleToken;
import io.multiprocess.reduction.Reducer;
import io.multiprocess.reduction.ReductionException;
import io.multiprocess.reduction.SharedHandle;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A socket that accepts {@link Connection}s from {@link Client#connect} in this or any other process (Python's
 * {@code multiprocessing.connection.Listener}), over a UNIX-domain socket or TCP.
 *
 * <pre>{@code
 * try (Listener listener = Listener.bind()) {              // a fresh UNIX socket, this process's authkey
 *     SocketAddress address = listener.address();
 *     MpProcess child = ctx.process(() -> {
 *         try (Connection toParent = Client.connect(address)) {
 *             toParent.send(List.of(1, 2, 3));
 *         }
 *     });
 *     child.start();
 *     try (Connection fromChild = listener.accept()) {
 *         List<Integer> numbers = fromChild.recv();
 *     }
 *     child.join();
 * }
 * }</pre>
 *
 * <p><b>Every connection is authenticated</b>, both ways, with the HMAC-SHA256 challenge before a single byte of it is
 * deserialized; unlike Python there is no unauthenticated mode, since the reducers can instantiate any class. The key
 * is the one given, or by default the current process's authkey ({@link io.multiprocess.MpProcess#getAuthkey()}),
 * which children inherit. A peer that answers wrongly, sends anything but the answer, or does not finish within
 * the {@linkplain #setHandshakeTimeout handshake timeout} (10 s by default) is dropped, and {@link #accept()} throws
 * {@link AuthenticationException} for it, as Python's does; the listener stays usable.
 *
 * <p>Where the socket lives: without an address, a UNIX-domain socket in this JVM's private runtime directory
 * (mode 0700, so no other local user can even connect; deleted at exit). A UNIX socket path you choose is yours to
 * protect: whoever may enter its directory may connect (and then must still pass the challenge). A TCP address is
 * reachable from wherever its interface is: bind to the loopback address ({@code new InetSocketAddress(
 * InetAddress.getLoopbackAddress(), 0)}) unless other machines must connect; port 0 picks a free port, which
 * {@link #address()} then tells. Messages are authenticated at the start, not encrypted.
 *
 * <p>{@link #close()} stops listening and deletes the socket file this listener created; connections already
 * accepted stay open.
 *
 * <p>A listener stays in the process that bound it: send its {@link #address()} to the processes that should
 * connect. Reducing a listener fails with a {@link ReductionException} saying so.
 */
public final class Listener implements AutoCloseable, SharedHandle {

    /** How long an accepted peer has to pass the authkey challenge unless {@link #setHandshakeTimeout} says else. */
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

    private static final AtomicInteger SOCKET_COUNTER = new AtomicInteger();
    /**
     * Authenticated connections kept for {@link #accept()} before the acceptor stops taking more from the socket's
     * backlog, as a socket nobody accepts on stops at its backlog.
     */
    private static final int READY_LIMIT = 64;
    /** Refusals kept for {@link #accept()} to throw; more are only counted and logged. */
    private static final int REFUSALS_KEPT = 16;
    private static final Object CLOSED = new Object();

    private final ServerSocketChannel server;
    private final SocketAddress address;
    private final Path socketFile;
    private final byte[] authkey;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** What {@link #accept()} returns or throws next, in the order the acceptor settled them. */
    private final LinkedBlockingQueue<Object> outcomes = new LinkedBlockingQueue<>();
    private final AtomicInteger ready = new AtomicInteger();
    private final AtomicInteger refusalsKept = new AtomicInteger();
    private volatile boolean paused;
    private volatile Acceptor.Endpoint endpoint;
    private volatile Reducer reducer;
    private volatile Duration handshakeTimeout = DEFAULT_HANDSHAKE_TIMEOUT;
    private volatile SocketAddress lastAccepted;

    private Listener(ServerSocketChannel server, SocketAddress address, Path socketFile, byte[] authkey) {
        this.server = server;
        this.address = address;
        this.socketFile = socketFile;
        this.authkey = authkey;
    }

    /** Listens on a fresh UNIX-domain socket in this JVM's private runtime directory, with this process's authkey. */
    public static Listener bind() {
        return bind(null, null);
    }

    /**
     * Listens on {@code address} with this process's authkey.
     *
     * @param address a {@link UnixDomainSocketAddress}, an {@link InetSocketAddress} (port 0: a free port), or null
     *     for a fresh UNIX-domain socket in this JVM's private runtime directory
     */
    public static Listener bind(SocketAddress address) {
        return bind(address, null);
    }

    /**
     * Listens on {@code address}; peers must know {@code authkey}.
     *
     * @param address a {@link UnixDomainSocketAddress}, an {@link InetSocketAddress} (port 0: a free port), or null
     *     for a fresh UNIX-domain socket in this JVM's private runtime directory
     * @param authkey the key both sides prove they know; null for this process's authkey. An empty key is a key.
     * @throws UncheckedIOException if the address cannot be bound (in use, no such directory, ...)
     */
    public static Listener bind(SocketAddress address, byte[] authkey) {
        return bind(address, authkey, 0);
    }

    /**
     * As {@link #bind(SocketAddress, byte[])}, with the length of the queue of connections not yet accepted
     * (Python's {@code backlog}); 0 for the system's default.
     */
    public static Listener bind(SocketAddress address, byte[] authkey, int backlog) {
        if (backlog < 0) {
            throw new IllegalArgumentException("backlog must not be negative, got " + backlog);
        }
        byte[] key = authkey != null ? authkey.clone() : CurrentProcess.authkey();
        SocketAddress target = address != null ? address
                : UnixDomainSocketAddress.of(RuntimeDirectory.get().resolve("listener-"
                        + SOCKET_COUNTER.incrementAndGet() + ".sock"));
        if (target instanceof InetSocketAddress inet && inet.isUnresolved()) {
            throw new IllegalArgumentException("cannot listen on " + inet + ": the host name does not resolve");
        }
        if (!(target instanceof UnixDomainSocketAddress) && !(target instanceof InetSocketAddress)) {
            throw new IllegalArgumentException("cannot listen on a " + target.getClass().getName()
                    + "; use a UnixDomainSocketAddress, an InetSocketAddress, or null for a private UNIX socket");
        }
        Path socketFile = target instanceof UnixDomainSocketAddress unix ? unix.getPath() : null;
        ServerSocketChannel server = null;
        try {
            server = socketFile != null ? ServerSocketChannel.open(StandardProtocolFamily.UNIX)
                    : ServerSocketChannel.open();
            server.bind(target, backlog);
            if (address == null) {
                RuntimeDirectory.ownerOnly(socketFile);
            }
        } catch (IOException e) {
            if (server != null) {
                closeQuietly(server);
            }
            throw new UncheckedIOException("cannot listen on " + describe(target) + ": " + e.getMessage(), e);
        }
        try {
            SocketAddress bound = socketFile != null ? target : server.getLocalAddress();
            Listener listener = new Listener(server, bound, socketFile, key);
            listener.endpoint = Acceptor.listen("listener on " + describe(bound), server, () -> listener.authkey,
                    () -> listener.handshakeTimeout, listener.new Handoff());
            return listener;
        } catch (IOException e) {
            closeQuietly(server);
            throw new UncheckedIOException("cannot set up a new listener on " + describe(target) + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * Waits for the next peer, authenticates it both ways, and returns the connection to it.
     *
     * @throws AuthenticationException if the peer fails the challenge, breaks it off, or does not finish it within
     *     the handshake timeout; the peer is dropped, nothing it sent was deserialized, and the listener can accept
     *     the next one
     * @throws IllegalStateException if the listener is closed (also when closed while this waits)
     * @throws UncheckedIOException caused by {@link InterruptedIOException} if the thread is interrupted; an
     *     interrupt while waiting for a peer closes the listener, as it closes any blocking socket channel
     */
    public Connection accept() {
        if (closed.get()) {
            throw closedException();
        }
        Object next;
        try {
            next = outcomes.take();
        } catch (InterruptedException e) {
            close();
            throw new UncheckedIOException("interrupted while waiting to accept on " + describe(address) + "; as for "
                    + "any blocking socket channel, the interrupt closed the listener", new InterruptedIOException());
        }
        if (next == CLOSED) {
            outcomes.add(CLOSED);
            throw closedException();
        }
        if (next instanceof String refusal) {
            refusalsKept.decrementAndGet();
            throw new AuthenticationException(refusal);
        }
        Authenticated peer = (Authenticated) next;
        if (ready.decrementAndGet() < READY_LIMIT && paused) {
            paused = false;
            endpoint.resume();
        }
        FrameChannel frames;
        try {
            frames = FrameChannel.selectable(peer.channel());
        } catch (IOException e) {
            closeQuietly(peer.channel());
            throw new UncheckedIOException("cannot set up a connection accepted on " + describe(address) + ": "
                    + e.getMessage(), e);
        }
        lastAccepted = peer.address();
        Reducer r = reducer;
        return new SocketConnection(frames, r != null ? r : ContextDefaults.reducer(),
                "connection accepted on " + describe(address));
    }

    private IllegalStateException closedException() {
        return new IllegalStateException("the listener on " + describe(address) + " is closed");
    }

    /** Where this listener listens: the address to give {@link Client#connect} (with the real port for port 0). */
    public SocketAddress address() {
        return address;
    }

    /**
     * The address of the peer of the last connection {@link #accept()} returned, or null before the first (Python's
     * {@code last_accepted}). A UNIX-domain client usually has no address: an empty path.
     */
    public SocketAddress lastAccepted() {
        return lastAccepted;
    }

    /**
     * Sets how long an accepted peer has to pass the authkey challenge before it is dropped; connections accepted
     * afterwards use it.
     */
    public void setHandshakeTimeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("the handshake timeout must be positive, got " + timeout);
        }
        this.handshakeTimeout = timeout;
    }

    public Duration getHandshakeTimeout() {
        return handshakeTimeout;
    }

    /**
     * Sets how many peers may be in the authkey challenge at once ({@value Acceptor#DEFAULT_MAX_HANDSHAKES} by
     * default); beyond it the oldest handshake is dropped for the newcomer. Applies to connections accepted from
     * now on.
     */
    public void setMaxHandshakes(int max) {
        endpoint.setMaxHandshakes(max);
    }

    public int getMaxHandshakes() {
        return endpoint.getMaxHandshakes();
    }

    /**
     * What this listener's acceptor has done so far: connections taken, authenticated, and dropped before they
     * authenticated, by reason.
     *
     * <pre>{@code
     * AcceptorStats stats = listener.acceptorStats();
     * long refused = stats.refused();       // wrong keys, garbage, oversized, too slow, too many
     * }</pre>
     */
    public AcceptorStats acceptorStats() {
        return endpoint.stats();
    }

    /**
     * Sets the reducer of connections accepted from now on; null (the default) means the default context's reducer
     * at the time of each {@link #accept()}. Both ends must use the same reducer.
     */
    public void setReducer(Reducer reducer) {
        this.reducer = reducer;
    }

    public boolean isClosed() {
        return closed.get();
    }

    /** Stops listening and deletes the socket file this listener created; accepted connections stay open. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        closeQuietly(server);
        endpoint.close();
        if (socketFile != null) {
            try {
                Files.deleteIfExists(socketFile);
            } catch (IOException e) {
                // A file left in a private directory does no harm; the directory goes at exit.
            }
        }
        Object next;
        while ((next = outcomes.poll()) != null) {
            if (next instanceof Authenticated peer) {
                closeQuietly(peer.channel());
            }
        }
        outcomes.add(CLOSED);
    }

    /** Refuses: a listening socket stays in its process. */
    @Override
    public HandleToken token() {
        throw new ReductionException("a listener (" + describe(address) + ") cannot be sent to another process. "
                + "Send its address() instead, and connect from the other process with Client.connect(address).");
    }

    @Override
    public String toString() {
        return "Listener[" + describe(address) + (isClosed() ? ", closed" : "") + "]";
    }

    /** Takes what the acceptor settles: connections that passed the challenge, and refusals for accept() to throw. */
    private final class Handoff implements Acceptor.Handoff {

        @Override
        public boolean authenticated(SocketChannel channel, SocketAddress peer) {
            if (closed.get()) {
                closeQuietly(channel);
                return false;
            }
            Authenticated entry = new Authenticated(channel, peer);
            outcomes.add(entry);
            if (closed.get()) {
                // close() may have drained the queue before this connection was added: it is closed here.
                outcomes.remove(entry);
                closeQuietly(channel);
                return false;
            }
            if (ready.incrementAndGet() >= READY_LIMIT) {
                paused = true;
                return false;
            }
            return true;
        }

        @Override
        public void refused(Acceptor.Refusal reason, SocketAddress peer, String message) {
            // Python's accept() raises for a peer that fails the challenge; one dropped only for being one too
            // many did not fail anything.
            if (reason == Acceptor.Refusal.TOO_MANY || closed.get()) {
                return;
            }
            if (refusalsKept.incrementAndGet() > REFUSALS_KEPT) {
                refusalsKept.decrementAndGet();
                return;
            }
            String who = "a peer" + (peer == null || peer.toString().isEmpty() ? "" : " at " + peer) + " on "
                    + describe(address);
            outcomes.add("refused " + who + ": " + message);
        }
    }

    private record Authenticated(SocketChannel channel, SocketAddress address) {
    }

    static String describe(SocketAddress address) {
        if (address instanceof UnixDomainSocketAddress unix) {
            return "UNIX socket " + unix.getPath();
        }
        return "TCP " + address;
    }

    private static void closeQuietly(java.io.Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException e) {
            // Being dropped either way.
        }
    }
}
