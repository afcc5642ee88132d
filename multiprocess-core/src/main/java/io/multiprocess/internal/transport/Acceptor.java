package io.multiprocess.internal.transport;

import io.multiprocess.diagnostics.AcceptorStats;
import io.multiprocess.errors.AuthenticationException;
import io.multiprocess.internal.MpLogger;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Supplier;
import org.slf4j.Logger;

/**
 * The one place where this JVM's server sockets take connections and run the authkey challenge: the control
 * socket children call back on, the host of queues and pipes, and every {@code Listener}. Internal to the
 * library; its owners hand it a bound server socket and get back each connection once its peer has proven it
 * knows the key.
 *
 * <p>What a peer costs before it has proven anything is bounded, so that connections from anyone who can reach
 * the socket cannot exhaust this process:
 * <ul>
 *   <li>No thread: one thread of this JVM ({@code multiprocess-acceptor}) runs every handshake of every server
 *       socket with non-blocking sockets and a selector.</li>
 *   <li>No large buffer: a connection in handshake holds a 4-byte header buffer and, while a message arrives, one
 *       of at most {@link Authentication#MAX_UNAUTHENTICATED_MESSAGE} bytes, whose length is checked first.</li>
 *   <li>A bounded number in handshake per server socket ({@value #DEFAULT_MAX_HANDSHAKES} unless set otherwise,
 *       system property {@code multiprocess.acceptor.max-handshakes}): a connection beyond it makes the oldest
 *       handshake give way at once. The oldest, rather than the newcomer: a peer that knows the key finishes in
 *       one round trip, so only stalled peers grow old, and a flood of them cannot keep a real peer out.</li>
 *   <li>A deadline per handshake, given by the owner.</li>
 *   <li>A file descriptor limit reached while accepting ("Too many open files") makes the oldest handshake give
 *       way, or, with none, accepting pause briefly; the thread never spins nor dies, whatever is thrown.</li>
 * </ul>
 * Drops are counted by reason ({@link AcceptorStats}) and logged at most once per 10 s per server socket as a
 * summary (each one at DEBUG).
 *
 * <p>The handshake is {@link Authentication.Handshake}, the same state machine the blocking side of every
 * connection runs, so the wire protocol has one implementation. Messages are read exactly, frame by frame, so
 * nothing the peer sends after the challenge is consumed here: it is there for the owner's {@link FrameChannel}.
 */
public final class Acceptor {

    /** How many connections of one server socket may be in the authkey challenge at once, unless set otherwise. */
    public static final int DEFAULT_MAX_HANDSHAKES = Math.max(1,
            Integer.getInteger("multiprocess.acceptor.max-handshakes", 64));

    /** Why a connection was dropped before it authenticated. */
    public enum Refusal {
        /** The bound of connections in handshake was reached, or the process ran out of file descriptors. */
        TOO_MANY,
        /** A wrong digest, or this side's digest refused. */
        AUTHENTICATION,
        /** A message that is not the challenge's, or the peer closed its end in the middle. */
        PROTOCOL,
        /** A message announced longer than {@link Authentication#MAX_UNAUTHENTICATED_MESSAGE} bytes. */
        OVERSIZED,
        /** The challenge was not finished within the handshake timeout. */
        TIMED_OUT
    }

    /** What the owner of a server socket does with its connections. Called on the acceptor's thread: be quick. */
    public interface Handoff {

        /**
         * Takes a connection whose peer passed the challenge both ways. The channel is in non-blocking mode and no
         * longer registered with any selector, so it may be switched to blocking mode.
         *
         * @return whether to go on accepting; false pauses this server socket until {@link Endpoint#resume()}
         */
        boolean authenticated(SocketChannel channel, SocketAddress peer) throws IOException;

        /** A peer was dropped before it authenticated (already counted and logged). */
        default void refused(Refusal reason, SocketAddress peer, String message) {
        }
    }

    static final long REPORT_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final long BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    /** Accepts per readiness of one server socket, so that one flooded socket does not starve the others. */
    private static final int ACCEPTS_PER_TURN = 64;
    private static final Logger LOG = MpLogger.INSTANCE;
    private static volatile Acceptor instance;

    private final Selector selector;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    /** Everything below is touched by the acceptor's thread only. */
    private final Set<Endpoint> endpoints = new HashSet<>();
    private final List<Pending> handoffs = new ArrayList<>();

    private Acceptor() throws IOException {
        selector = Selector.open();
        Thread thread = new Thread(this::loop, "multiprocess-acceptor");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Starts taking connections on {@code server} (bound; it is switched to non-blocking mode). The owner keeps
     * the socket: it closes it, and then {@link Endpoint#close()}.
     *
     * @param description what the socket is, for logs ("the control socket /tmp/mp-.../control.sock")
     * @param authkey the key peers must know, read at each connection
     * @param handshakeTimeout how long a peer has to finish the challenge, read at each connection
     */
    public static Endpoint listen(String description, ServerSocketChannel server, Supplier<byte[]> authkey,
            Supplier<Duration> handshakeTimeout, Handoff handoff) throws IOException {
        Acceptor acceptor = get();
        server.configureBlocking(false);
        Endpoint endpoint = new Endpoint(acceptor, description, server, authkey, handshakeTimeout, handoff);
        acceptor.submit(() -> acceptor.register(endpoint));
        return endpoint;
    }

    private static Acceptor get() throws IOException {
        Acceptor a = instance;
        if (a == null) {
            synchronized (Acceptor.class) {
                a = instance;
                if (a == null) {
                    a = new Acceptor();
                    instance = a;
                }
            }
        }
        return a;
    }

    private void submit(Runnable task) {
        tasks.add(task);
        selector.wakeup();
    }

    private void loop() {
        while (true) {
            try {
                Runnable task;
                while ((task = tasks.poll()) != null) {
                    task.run();
                }
                long wait = housekeeping(System.nanoTime());
                selector.select(wait == Long.MAX_VALUE ? 0 : Math.max(1, TimeUnit.NANOSECONDS.toMillis(wait) + 1));
                processSelected();
                while (!handoffs.isEmpty()) {
                    // The keys of authenticated channels were cancelled: this selection deregisters them, so their
                    // owners may make them blocking.
                    selector.selectNow();
                    List<Pending> ready = new ArrayList<>(handoffs);
                    handoffs.clear();
                    for (Pending pending : ready) {
                        handOff(pending);
                    }
                    processSelected();
                }
            } catch (Throwable e) {
                // Nothing may end this thread: without it no process could reach this one. A pause keeps a fault
                // that repeats from using a whole core.
                try {
                    internalError(null, e);
                } catch (Throwable logging) {
                    // Not even a broken logger ends this thread.
                }
                try {
                    Thread.sleep(10);
                } catch (InterruptedException interrupted) {
                    // Not for this thread; it goes on.
                }
            }
        }
    }

    private void processSelected() {
        Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
        while (keys.hasNext()) {
            SelectionKey key = keys.next();
            keys.remove();
            Object attachment = key.attachment();
            if (attachment instanceof Endpoint endpoint) {
                try {
                    if (key.isValid() && key.isAcceptable()) {
                        acceptSome(endpoint);
                    }
                } catch (Throwable e) {
                    internalError(endpoint, e);
                }
            } else if (attachment instanceof Pending pending) {
                try {
                    if (key.isValid() && key.isWritable()) {
                        flush(pending);
                    }
                    if (key.isValid() && key.isReadable()) {
                        read(pending);
                    }
                } catch (Throwable e) {
                    drop(pending);
                    internalError(pending.endpoint, e);
                }
            }
        }
    }

    private void register(Endpoint endpoint) {
        if (endpoint.closed) {
            return;
        }
        try {
            endpoint.key = endpoint.server.register(selector, SelectionKey.OP_ACCEPT, endpoint);
            endpoints.add(endpoint);
        } catch (IOException | RuntimeException e) {
            if (endpoint.server.isOpen()) {
                internalError(endpoint, e);
            }
        }
    }

    private void unregister(Endpoint endpoint) {
        if (endpoint.key != null) {
            endpoint.key.cancel();
        }
        for (Pending pending : new ArrayList<>(endpoint.pending)) {
            drop(pending);
        }
        endpoints.remove(endpoint);
    }

    private void acceptSome(Endpoint endpoint) {
        for (int i = 0; i < ACCEPTS_PER_TURN && !endpoint.closed; i++) {
            SocketChannel channel;
            try {
                channel = endpoint.server.accept();
            } catch (IOException e) {
                if (!endpoint.server.isOpen()) {
                    unregister(endpoint);
                    return;
                }
                endpoint.count(Counter.ACCEPT_ERRORS);
                endpoint.lastProblem = "accepting failed: " + e.getMessage();
                LOG.debug("{}: accepting failed: {}", endpoint.description, e.toString());
                String message = String.valueOf(e.getMessage());
                // Out of file descriptors: the oldest handshake gives one back, so the peers that know the key
                // still get in while a flood holds the rest.
                if (message.contains("open files") && evictOldest(endpoint)) {
                    continue;
                }
                endpoint.backoffUntil = System.nanoTime() + BACKOFF_NANOS;
                updateInterest(endpoint);
                maybeReport(endpoint, System.nanoTime());
                return;
            }
            if (channel == null) {
                return;
            }
            endpoint.count(Counter.ACCEPTED);
            try {
                start(endpoint, channel);
            } catch (Throwable e) {
                closeQuietly(channel);
                internalError(endpoint, e);
            }
        }
    }

    /** Closes the oldest handshake anywhere, this endpoint's first; false if there is none. */
    private boolean evictOldest(Endpoint preferred) {
        Endpoint from = preferred;
        if (from.pending.isEmpty()) {
            from = endpoints.stream().filter(e -> !e.pending.isEmpty()).findFirst().orElse(null);
            if (from == null) {
                return false;
            }
        }
        Pending oldest = from.pending.iterator().next();
        refuse(oldest, Refusal.TOO_MANY, "it gave way to a newer connection: " + from.maxHandshakes
                + " were in the authkey challenge at once, or this process had no file descriptor left");
        return true;
    }

    private void start(Endpoint endpoint, SocketChannel channel) throws IOException {
        if (endpoint.pending.size() >= endpoint.maxHandshakes) {
            evictOldest(endpoint);
        }
        channel.configureBlocking(false);
        SocketAddress peer = channel.getRemoteAddress();
        if (peer instanceof InetSocketAddress) {
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        }
        Duration timeout = endpoint.handshakeTimeout.get();
        long nanos = saturatedNanos(timeout);
        long now = System.nanoTime();
        Pending pending = new Pending(endpoint, channel, peer, Authentication.Handshake.asServer(endpoint.authkey.get()),
                nanos >= Long.MAX_VALUE / 4 ? Long.MAX_VALUE : now + nanos, timeout);
        pending.key = channel.register(selector, SelectionKey.OP_READ, pending);
        endpoint.pending.add(pending);
        endpoint.inHandshake = endpoint.pending.size();
        queueOutgoing(pending);
        flush(pending);
    }

    /** Reads whole frames, exactly, and feeds them to the handshake, until the socket has nothing more now. */
    private void read(Pending pending) throws IOException {
        while (!pending.finished) {
            ByteBuffer target = pending.body != null ? pending.body : pending.header;
            if (target.hasRemaining()) {
                int read = pending.channel.read(target);
                if (read < 0) {
                    refuse(pending, Refusal.PROTOCOL, "it closed the connection during the authkey challenge");
                    return;
                }
                if (target.hasRemaining()) {
                    return;
                }
            }
            if (pending.body == null) {
                int length = pending.header.flip().getInt();
                pending.header.clear();
                if (length < 0 || length > Authentication.MAX_UNAUTHENTICATED_MESSAGE) {
                    refuse(pending, Refusal.OVERSIZED, "it did not follow the authkey challenge: it sent a message "
                            + "of " + (length & 0xFFFFFFFFL) + " bytes where at most "
                            + Authentication.MAX_UNAUTHENTICATED_MESSAGE + " are allowed before authentication");
                    return;
                }
                pending.body = ByteBuffer.allocate(length);
                continue;
            }
            byte[] message = pending.body.array();
            pending.body = null;
            try {
                pending.handshake.receive(message);
            } catch (AuthenticationException e) {
                queueOutgoing(pending);
                writeQuietly(pending);
                refuse(pending, pending.handshake.wasProtocolError() ? Refusal.PROTOCOL : Refusal.AUTHENTICATION,
                        e.getMessage());
                return;
            }
            queueOutgoing(pending);
            flush(pending);
        }
    }

    private void queueOutgoing(Pending pending) {
        List<byte[]> messages = pending.handshake.takeOutgoing();
        if (messages.isEmpty()) {
            return;
        }
        int size = pending.out != null ? pending.out.remaining() : 0;
        for (byte[] message : messages) {
            size += 4 + message.length;
        }
        ByteBuffer out = ByteBuffer.allocate(size);
        if (pending.out != null) {
            out.put(pending.out);
        }
        for (byte[] message : messages) {
            out.putInt(message.length).put(message);
        }
        pending.out = out.flip();
    }

    /** Writes what the socket takes now; waits for writability for the rest; hands over a finished handshake. */
    private void flush(Pending pending) throws IOException {
        if (pending.finished) {
            return;
        }
        ByteBuffer out = pending.out;
        while (out != null && out.hasRemaining()) {
            if (pending.channel.write(out) == 0) {
                break;
            }
        }
        boolean unsent = out != null && out.hasRemaining();
        if (!unsent && pending.handshake.isDone()) {
            pending.finished = true;
            pending.endpoint.pending.remove(pending);
            pending.endpoint.inHandshake = pending.endpoint.pending.size();
            pending.key.cancel();
            handoffs.add(pending);
            return;
        }
        pending.key.interestOps(SelectionKey.OP_READ | (unsent ? SelectionKey.OP_WRITE : 0));
    }

    /** One write of a last message (#FAILURE#) to a peer being dropped; it may not take it. */
    private static void writeQuietly(Pending pending) {
        try {
            if (pending.out != null) {
                pending.channel.write(pending.out);
            }
        } catch (IOException e) {
            // Dropped either way.
        }
    }

    private void handOff(Pending pending) {
        Endpoint endpoint = pending.endpoint;
        if (endpoint.closed) {
            closeQuietly(pending.channel);
            return;
        }
        endpoint.count(Counter.AUTHENTICATED);
        try {
            if (!endpoint.handoff.authenticated(pending.channel, pending.peer)) {
                endpoint.paused = true;
                updateInterest(endpoint);
            }
        } catch (Throwable e) {
            closeQuietly(pending.channel);
            internalError(endpoint, e);
        }
    }

    private void refuse(Pending pending, Refusal reason, String message) {
        drop(pending);
        Endpoint endpoint = pending.endpoint;
        endpoint.count(switch (reason) {
            case TOO_MANY -> Counter.TOO_MANY;
            case AUTHENTICATION -> Counter.FAILED_AUTHENTICATION;
            case PROTOCOL -> Counter.PROTOCOL_ERRORS;
            case OVERSIZED -> Counter.OVERSIZED;
            case TIMED_OUT -> Counter.TIMED_OUT;
        });
        String who = "a peer" + (pending.peer == null || pending.peer.toString().isEmpty() ? "" : " at " + pending.peer);
        endpoint.lastProblem = "refused " + who + ": " + message;
        LOG.debug("{}: refused {}: {}", endpoint.description, who, message);
        try {
            endpoint.handoff.refused(reason, pending.peer, message);
        } catch (Throwable e) {
            internalError(endpoint, e);
        }
        maybeReport(endpoint, System.nanoTime());
    }

    private static void drop(Pending pending) {
        if (pending.finished) {
            return;
        }
        pending.finished = true;
        pending.endpoint.pending.remove(pending);
        pending.endpoint.inHandshake = pending.endpoint.pending.size();
        if (pending.key != null) {
            pending.key.cancel();
        }
        closeQuietly(pending.channel);
    }

    /**
     * Ends the handshakes past their deadline, resumes sockets whose back-off is over, writes due summaries.
     *
     * @return nanoseconds until the next of these is due, {@link Long#MAX_VALUE} if none is
     */
    private long housekeeping(long now) {
        long next = Long.MAX_VALUE;
        for (Endpoint endpoint : new ArrayList<>(endpoints)) {
            for (Pending pending : new ArrayList<>(endpoint.pending)) {
                if (pending.deadline - now <= 0) {
                    refuse(pending, Refusal.TIMED_OUT, "it did not complete the authkey challenge within "
                            + pending.timeout.toMillis() + " ms");
                } else if (pending.deadline != Long.MAX_VALUE) {
                    next = Math.min(next, pending.deadline - now);
                }
            }
            if (endpoint.backoffUntil != 0) {
                if (endpoint.backoffUntil - now <= 0) {
                    endpoint.backoffUntil = 0;
                    updateInterest(endpoint);
                } else {
                    next = Math.min(next, endpoint.backoffUntil - now);
                }
            }
            if (endpoint.unreported() > 0) {
                long due = endpoint.lastReport + REPORT_INTERVAL_NANOS - now;
                if (due <= 0) {
                    report(endpoint, now);
                } else {
                    next = Math.min(next, due);
                }
            }
        }
        return next;
    }

    private static void updateInterest(Endpoint endpoint) {
        SelectionKey key = endpoint.key;
        if (key != null && key.isValid()) {
            key.interestOps(!endpoint.paused && endpoint.backoffUntil == 0 ? SelectionKey.OP_ACCEPT : 0);
        }
    }

    private void internalError(Endpoint endpoint, Throwable error) {
        if (endpoint == null) {
            LOG.error("the connection acceptor of this process failed; it goes on", error);
            return;
        }
        endpoint.count(Counter.INTERNAL_ERRORS);
        endpoint.lastProblem = "internal error: " + error;
        endpoint.lastError = error;
        maybeReport(endpoint, System.nanoTime());
    }

    private static void maybeReport(Endpoint endpoint, long now) {
        if (now - endpoint.lastReport >= REPORT_INTERVAL_NANOS) {
            report(endpoint, now);
        }
    }

    /** One WARN with what happened since the last one. */
    private static void report(Endpoint endpoint, long now) {
        long[] current = endpoint.snapshot();
        long[] last = endpoint.reported;
        StringBuilder summary = new StringBuilder();
        appendCount(summary, current, last, Counter.TOO_MANY, "gave way to newer connections (too many in handshake)");
        appendCount(summary, current, last, Counter.FAILED_AUTHENTICATION, "failed authentication");
        appendCount(summary, current, last, Counter.PROTOCOL_ERRORS, "did not follow the protocol");
        appendCount(summary, current, last, Counter.OVERSIZED, "sent an oversized message");
        appendCount(summary, current, last, Counter.TIMED_OUT, "timed out");
        appendCount(summary, current, last, Counter.ACCEPT_ERRORS, "accept errors");
        appendCount(summary, current, last, Counter.INTERNAL_ERRORS, "internal errors");
        long seconds = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(now - endpoint.lastReport));
        String since = endpoint.everReported ? " in the last " + seconds + " s" : "";
        Throwable error = endpoint.lastError;
        endpoint.lastError = null;
        endpoint.everReported = true;
        endpoint.lastReport = now;
        endpoint.reported = current;
        String message = endpoint.description + ": dropped connections before they authenticated" + since + ": "
                + summary + "; last: " + endpoint.lastProblem + ". Nothing they sent was deserialized; if these are"
                + " your processes, check that they use this process's authkey";
        if (error != null) {
            LOG.warn(message, error);
        } else {
            LOG.warn(message);
        }
    }

    private static void appendCount(StringBuilder summary, long[] current, long[] last, Counter counter,
            String what) {
        long count = current[counter.ordinal()] - last[counter.ordinal()];
        if (count > 0) {
            summary.append(summary.length() == 0 ? "" : ", ").append(count).append(' ').append(what);
        }
    }

    private static long saturatedNanos(Duration duration) {
        try {
            return Math.max(0, duration.toNanos());
        } catch (ArithmeticException e) {
            return duration.isNegative() ? 0 : Long.MAX_VALUE;
        }
    }

    private static void closeQuietly(Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException e) {
            // Being dropped either way.
        }
    }

    private enum Counter {
        ACCEPTED, AUTHENTICATED, TOO_MANY, FAILED_AUTHENTICATION, PROTOCOL_ERRORS, OVERSIZED, TIMED_OUT, ACCEPT_ERRORS,
        INTERNAL_ERRORS;

        /** The counters a summary reports. */
        static boolean isProblem(int ordinal) {
            return ordinal >= TOO_MANY.ordinal();
        }
    }

    /** One server socket served by the acceptor. */
    public static final class Endpoint implements Closeable {

        private final Acceptor acceptor;
        private final String description;
        private final ServerSocketChannel server;
        private final Supplier<byte[]> authkey;
        private final Supplier<Duration> handshakeTimeout;
        private final Handoff handoff;
        private final AtomicLongArray counts = new AtomicLongArray(Counter.values().length);
        private volatile int maxHandshakes = DEFAULT_MAX_HANDSHAKES;
        private volatile int inHandshake;
        private volatile boolean closed;
        /** The rest is touched by the acceptor's thread only. Oldest first. */
        private final LinkedHashSet<Pending> pending = new LinkedHashSet<>();
        private SelectionKey key;
        private boolean paused;
        private long backoffUntil;
        private long lastReport = System.nanoTime() - REPORT_INTERVAL_NANOS;
        private boolean everReported;
        private long[] reported = new long[Counter.values().length];
        private String lastProblem = "";
        private Throwable lastError;

        private Endpoint(Acceptor acceptor, String description, ServerSocketChannel server, Supplier<byte[]> authkey,
                Supplier<Duration> handshakeTimeout, Handoff handoff) {
            this.acceptor = acceptor;
            this.description = description;
            this.server = server;
            this.authkey = authkey;
            this.handshakeTimeout = handshakeTimeout;
            this.handoff = handoff;
        }

        /** What this socket's acceptor has done so far. */
        public AcceptorStats stats() {
            return new AcceptorStats(get(Counter.ACCEPTED), get(Counter.AUTHENTICATED), inHandshake,
                    get(Counter.TOO_MANY), get(Counter.FAILED_AUTHENTICATION), get(Counter.PROTOCOL_ERRORS),
                    get(Counter.OVERSIZED), get(Counter.TIMED_OUT), get(Counter.ACCEPT_ERRORS),
                    get(Counter.INTERNAL_ERRORS));
        }

        /** Sets how many connections may be in the challenge at once, for connections accepted from now on. */
        public void setMaxHandshakes(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("at least one connection must be allowed in handshake, got " + max);
            }
            maxHandshakes = max;
        }

        public int getMaxHandshakes() {
            return maxHandshakes;
        }

        /** Accepts again after {@link Handoff#authenticated} asked for a pause. */
        public void resume() {
            acceptor.submit(() -> {
                paused = false;
                updateInterest(this);
            });
        }

        /** Stops serving the socket (its owner closes it) and drops the connections still in handshake. */
        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            acceptor.submit(() -> acceptor.unregister(this));
        }

        private void count(Counter counter) {
            counts.incrementAndGet(counter.ordinal());
        }

        private long get(Counter counter) {
            return counts.get(counter.ordinal());
        }

        private long[] snapshot() {
            long[] values = new long[counts.length()];
            for (int i = 0; i < values.length; i++) {
                values[i] = counts.get(i);
            }
            return values;
        }

        /** Problems not yet in a summary. */
        private long unreported() {
            long count = 0;
            for (int i = 0; i < reported.length; i++) {
                if (Counter.isProblem(i)) {
                    count += counts.get(i) - reported[i];
                }
            }
            return count;
        }
    }

    /** A connection in the challenge. */
    private static final class Pending {
        final Endpoint endpoint;
        final SocketChannel channel;
        final SocketAddress peer;
        final Authentication.Handshake handshake;
        final long deadline;
        final Duration timeout;
        final ByteBuffer header = ByteBuffer.allocate(4);
        ByteBuffer body;
        ByteBuffer out;
        SelectionKey key;
        boolean finished;

        Pending(Endpoint endpoint, SocketChannel channel, SocketAddress peer, Authentication.Handshake handshake,
                long deadline, Duration timeout) {
            this.endpoint = endpoint;
            this.channel = channel;
            this.peer = peer;
            this.handshake = handshake;
            this.deadline = deadline;
            this.timeout = timeout;
        }
    }
}
