package io.multiprocess.internal.transport;

import io.multiprocess.errors.MalformedFrameException;
import io.multiprocess.internal.FrameLimit;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Arrays;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One end of a socket that carries whole messages: the project's single wire format.
 *
 * <p>Everything that crosses a process boundary is sent in frames through this class: the control channel between
 * a parent and its child JVMs, pool tasks, the traffic of hosted queues and pipes, and the public
 * {@code Connection}s of {@code Listener} and {@code Client}. The wire format is a frame per message: a
 * 4-byte big-endian length, then that many bytes. Message boundaries are kept; an empty message is a message.
 *
 * <p>Sends and receives are each serialized by their own lock, so one thread may send while another receives.
 *
 * <p>Two modes, the same frames:
 * <ul>
 *   <li>{@link #FrameChannel(SocketChannel) blocking}: the socket stays in blocking mode and a receive is one
 *       blocking read. For a channel read by one thread that never needs to ask "is a message there?" (the
 *       control channel). An interrupt closes the socket, as for any blocking channel.</li>
 *   <li>{@link #selectable(SocketChannel) selectable}: the socket is in non-blocking mode and a thread that must
 *       wait does so in a selector of this channel, so {@link #awaitReadable(Duration)} and
 *       {@link #whenReadable(Runnable)} can tell whether something can be received without consuming it (for
 *       {@code poll} and {@code waitAny}). An interrupt ends a wait that has not consumed a byte of the frame
 *       ({@link InterruptedIOException}, the thread stays interrupted, the channel stays open); a frame already
 *       begun is finished first, so the stream never loses its framing.</li>
 * </ul>
 */
public final class FrameChannel implements Closeable {

    /**
     * Largest frame that can be set ({@link FrameLimit#MOST}); a Java array cannot be larger. Frames are limited
     * to the setting {@link FrameLimit#maxFrameBytes()} (system property {@value FrameLimit#PROPERTY}, 1 GiB by
     * default).
     */
    public static final int MAX_FRAME_LENGTH = FrameLimit.MOST;

    private static final int BUFFER_SIZE = 64 * 1024;
    /**
     * A frame longer than this gets its array in steps that grow with the bytes that have arrived, so a length
     * prefix followed by nothing costs little.
     */
    private static final int GROW_FROM = 1 << 20;
    private static final byte[] NO_HEAD = new byte[0];
    /**
     * Most bytes handed to one read or write of the socket. The JDK copies a heap buffer through a temporary
     * direct buffer of the same size for each call, kept per thread; this bounds that buffer.
     */
    private static final int IO_CHUNK = 256 * 1024;

    private final SocketChannel channel;
    private final boolean selectable;
    private final ReentrantLock sendLock = new ReentrantLock();
    private final ReentrantLock receiveLock = new ReentrantLock();
    private final ByteBuffer header = ByteBuffer.allocate(4);
    /** Bytes received and not yet consumed, between position and limit. Guarded by receiveLock. */
    private final ByteBuffer received = ByteBuffer.allocate(BUFFER_SIZE).flip();
    /** How many bytes {@link #received} holds, for readers that do not take the lock. */
    private volatile int buffered;
    /** The peer closed its end: the socket read returned end-of-stream. */
    private volatile boolean peerClosed;
    private volatile boolean closed;
    private final Object selectorsLock = new Object();
    private Selector readSelector;
    private Selector writeSelector;
    private final Queue<Waiter> waiters = new ConcurrentLinkedQueue<>();
    private volatile boolean watched;

    /** A blocking channel: the socket is used in blocking mode, as given. */
    public FrameChannel(SocketChannel channel) {
        this(channel, false);
    }

    private FrameChannel(SocketChannel channel, boolean selectable) {
        this.channel = channel;
        this.selectable = selectable;
    }

    /**
     * A selectable channel: puts the socket in non-blocking mode, so this channel can be polled and waited on
     * together with others.
     */
    public static FrameChannel selectable(SocketChannel channel) throws IOException {
        channel.configureBlocking(false);
        return new FrameChannel(channel, true);
    }

    /** Sends one message holding all of {@code message}. */
    public void sendBytes(byte[] message) throws IOException {
        sendBytes(message, 0, message.length);
    }

    /** Sends one message holding {@code length} bytes of {@code buffer} from {@code offset}. */
    public void sendBytes(byte[] buffer, int offset, int length) throws IOException {
        sendBytes(NO_HEAD, buffer, offset, length);
    }

    /**
     * Sends one message made of {@code head} followed by {@code length} bytes of {@code body} from {@code offset},
     * without copying them into one array first (a protocol header before a large payload).
     */
    public void sendBytes(byte[] head, byte[] body, int offset, int length) throws IOException {
        if (offset < 0 || length < 0 || offset + length > body.length) {
            throw new IndexOutOfBoundsException(
                    "offset " + offset + " and length " + length + " do not fit a buffer of " + body.length);
        }
        long frameLength = (long) head.length + length;
        if (frameLength > FrameLimit.maxFrameBytes()) {
            // Refused before a byte is written, so the connection keeps its framing.
            throw new IOException("cannot send a message of " + frameLength + " bytes: the largest frame is "
                    + FrameLimit.maxFrameBytes() + " bytes; " + FrameLimit.howToRaise());
        }
        ensureOpen();
        sendLock.lock();
        try {
            header.clear();
            header.putInt(head.length + length).flip();
            ByteBuffer headBuffer = ByteBuffer.wrap(head);
            ByteBuffer[] frame = {header, headBuffer, null};
            int position = offset;
            int end = offset + length;
            do {
                ByteBuffer chunk = ByteBuffer.wrap(body, position, Math.min(IO_CHUNK, end - position));
                frame[2] = chunk;
                while (header.hasRemaining() || headBuffer.hasRemaining() || chunk.hasRemaining()) {
                    if (channel.write(frame) == 0) {
                        awaitWritable(header.position() == 0);
                    }
                }
                position = chunk.position();
            } while (position < end);
        } finally {
            sendLock.unlock();
        }
    }

    /**
     * Receives one whole message.
     *
     * @throws EOFException if the peer closed the connection and no message is left
     */
    public byte[] recvBytes() throws IOException {
        return recvBytes(MAX_FRAME_LENGTH);
    }

    /**
     * Receives one whole message of at most {@code maxLength} bytes, and never more than the largest frame
     * ({@link FrameLimit#maxFrameBytes()}). The length is checked before anything is allocated for the message.
     *
     * @throws EOFException if the peer closed the connection and no message is left
     * @throws MalformedFrameException if the message is longer than {@code maxLength}; the connection is then
     *     closed, since the rest of the stream can no longer be framed
     */
    public byte[] recvBytes(int maxLength) throws IOException {
        return receive(NO_HEAD, maxLength);
    }

    /**
     * Receives one message whose first {@code head.length} bytes are a protocol header: fills {@code head} with
     * them and returns the rest, so a large payload is not copied out of the message afterwards.
     *
     * @throws EOFException if the peer closed the connection and no message is left
     * @throws MalformedFrameException if the message is shorter than the header; the connection is then closed
     */
    public byte[] recvBytes(byte[] head) throws IOException {
        return receive(head, MAX_FRAME_LENGTH);
    }

    private byte[] receive(byte[] head, int maxLength) throws IOException {
        ensureOpen();
        lockReceive();
        try {
            if (!fill(4)) {
                throw new EOFException("the peer closed the connection");
            }
            int length = received.getInt();
            int largestFrame = FrameLimit.maxFrameBytes();
            if ((length & 0xFFFFFFFFL) > largestFrame && maxLength > largestFrame) {
                close();
                throw new MalformedFrameException("received a message of " + (length & 0xFFFFFFFFL)
                        + " bytes, more than the largest frame of " + largestFrame + " bytes; the connection was"
                        + " closed. To receive larger messages, " + FrameLimit.howToRaise());
            }
            if (length < 0 || length > maxLength) {
                close();
                throw new MalformedFrameException("received a message of " + (length & 0xFFFFFFFFL)
                        + " bytes where at most " + maxLength + " are allowed; the connection was closed");
            }
            if (length < head.length) {
                close();
                throw new MalformedFrameException("received a message of " + length + " bytes, shorter than its "
                        + head.length + "-byte header; the connection was closed");
            }
            readFully(head);
            return readMessage(length - head.length);
        } finally {
            buffered = received.remaining();
            receiveLock.unlock();
            if (buffered > 0 && !waiters.isEmpty()) {
                fireWaiters();
            }
        }
    }

    /**
     * Reads the rest of a frame that has begun, {@code length} bytes, into an array that doubles as bytes arrive
     * (from {@value #GROW_FROM} bytes on), so that what a peer makes this process allocate for a frame is at most
     * about four times the bytes of it that have arrived, plus 1 MiB, whatever its length prefix says.
     */
    private byte[] readMessage(int length) throws IOException {
        if (length <= GROW_FROM) {
            byte[] message = new byte[length];
            readFully(message);
            return message;
        }
        byte[] message = new byte[GROW_FROM];
        int filled = 0;
        while (true) {
            readFully(message, filled, message.length);
            filled = message.length;
            if (filled == length) {
                return message;
            }
            message = Arrays.copyOf(message, (int) Math.min(length, 2L * filled));
        }
    }

    /** Fills {@code target} with the next bytes of a frame that has begun: from the buffer, then the socket. */
    private void readFully(byte[] target) throws IOException {
        readFully(target, 0, target.length);
    }

    /** Fills {@code target} from {@code from} to {@code to}, as {@link #readFully(byte[])}. */
    private void readFully(byte[] target, int from, int to) throws IOException {
        int fromBuffer = Math.min(received.remaining(), to - from);
        received.get(target, from, fromBuffer);
        for (int position = from + fromBuffer; position < to; ) {
            ByteBuffer chunk = ByteBuffer.wrap(target, position, Math.min(IO_CHUNK, to - position));
            int read = channel.read(chunk);
            if (read < 0) {
                peerClosed = true;
                throw new EOFException("the peer closed the connection in the middle of a message");
            }
            if (read == 0) {
                awaitReadableInFrame();
            }
            position = chunk.position();
        }
    }

    /**
     * Waits at most {@code timeout} until a receive would not wait for the first byte: a message (or its start)
     * has arrived, or the peer closed its end. Does not consume anything. While another thread is receiving, this
     * waits for it, within the timeout.
     *
     * @param timeout how long to wait; {@code null} waits as long as it takes, zero or negative checks only
     * @throws UnsupportedOperationException on a blocking channel
     * @throws InterruptedIOException if the thread is interrupted while it waits (it stays interrupted)
     */
    public boolean awaitReadable(Duration timeout) throws IOException {
        requireSelectable("polled");
        ensureOpen();
        long deadline = deadline(timeout);
        try {
            // A check without waiting does not look at the interrupt status, as a zero-timeout poll never waits.
            boolean locked = timeout != null && remaining(deadline) <= 0 ? receiveLock.tryLock()
                    : receiveLock.tryLock(remaining(deadline), TimeUnit.NANOSECONDS);
            if (!locked) {
                return false;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while polling a connection");
        }
        try {
            while (true) {
                if (received.hasRemaining() || peerClosed || readSome() != 0) {
                    return true;
                }
                long left = remaining(deadline);
                if (left <= 0) {
                    return false;
                }
                select(readSelector(), left, true);
            }
        } finally {
            buffered = received.remaining();
            receiveLock.unlock();
            // Bytes moved from the socket to the buffer no longer make the socket readable: waiters learn of them
            // here.
            if (buffered > 0 && !waiters.isEmpty()) {
                fireWaiters();
            }
        }
    }

    /**
     * Runs {@code action} once, as soon as a receive would not wait for the first byte, or this channel is closed:
     * at once on the calling thread when that is already so, else on an internal thread. The action must be quick.
     *
     * @return a handle whose {@code close()} withdraws the action if it has not run yet
     * @throws UnsupportedOperationException on a blocking channel
     */
    public AutoCloseable whenReadable(Runnable action) {
        requireSelectable("waited on");
        Waiter waiter = new Waiter(action);
        waiters.add(waiter);
        // Added before checking: a receive that leaves bytes buffered after this check sees the waiter.
        if (closed || peerClosed || buffered > 0) {
            fireWaiters();
        } else {
            watched = true;
            ReadinessWatcher.get().arm(channel, this::fireWaiters);
        }
        return () -> waiters.remove(waiter);
    }

    public boolean isClosed() {
        return closed;
    }

    /** The local address of the socket, or null when it is closed. */
    java.net.SocketAddress localAddress() {
        try {
            return channel.getLocalAddress();
        } catch (IOException e) {
            return null;
        }
    }

    /** The peer's address, or null when it is closed. */
    java.net.SocketAddress remoteAddress() {
        try {
            return channel.getRemoteAddress();
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            channel.close();
        } finally {
            if (selectable) {
                synchronized (selectorsLock) {
                    // Wakes a thread waiting in either and releases the channel's registrations, so the socket
                    // itself is closed now rather than at the next selection.
                    closeQuietly(readSelector);
                    closeQuietly(writeSelector);
                }
                if (watched) {
                    ReadinessWatcher.get().forget(channel);
                }
                fireWaiters();
            }
        }
    }

    /**
     * Makes at least {@code count} bytes available in {@link #received}.
     *
     * @return false if the peer closed the connection before the first of them
     */
    private boolean fill(int count) throws IOException {
        boolean frameBegun = received.hasRemaining();
        while (received.remaining() < count) {
            int read = readSome();
            if (read < 0) {
                if (received.hasRemaining()) {
                    throw new EOFException("the peer closed the connection in the middle of a message");
                }
                return false;
            }
            if (read == 0) {
                if (frameBegun || received.hasRemaining()) {
                    awaitReadableInFrame();
                } else {
                    select(readSelector(), Long.MAX_VALUE, true);
                }
            }
        }
        return true;
    }

    /** One read of the socket into {@link #received}: bytes read, 0 if none are there yet, -1 at end of stream. */
    private int readSome() throws IOException {
        if (peerClosed) {
            return -1;
        }
        received.compact();
        int read;
        try {
            read = channel.read(received);
        } finally {
            received.flip();
        }
        if (read < 0) {
            peerClosed = true;
        }
        return read;
    }

    /** Waits for more of a frame already begun: not interruptible, or the stream would lose its framing. */
    private void awaitReadableInFrame() throws IOException {
        select(readSelector(), Long.MAX_VALUE, false);
    }

    private void awaitWritable(boolean interruptible) throws IOException {
        select(writeSelector(), Long.MAX_VALUE, interruptible);
    }

    /**
     * Waits in {@code selector} (this channel's only registration there) for at most {@code nanos}, or until the
     * channel is closed or, when {@code interruptible}, the thread is interrupted.
     */
    private void select(Selector selector, long nanos, boolean interruptible) throws IOException {
        boolean interrupted = false;
        try {
            while (true) {
                // Selector.select(0) waits without a limit; a limit is rounded up to whole milliseconds.
                long millis = nanos == Long.MAX_VALUE ? 0 : Math.max(1, (nanos + 999_999) / 1_000_000);
                long before = System.nanoTime();
                int ready;
                try {
                    ready = selector.select(millis);
                    selector.selectedKeys().clear();
                } catch (ClosedSelectorException e) {
                    // close() closes the selectors to wake their waiters.
                    throw new AsynchronousCloseException();
                }
                if (closed) {
                    throw new AsynchronousCloseException();
                }
                if (ready > 0) {
                    return;
                }
                if (Thread.interrupted()) {
                    interrupted = true;
                    if (interruptible) {
                        throw new InterruptedIOException("interrupted while waiting on a connection");
                    }
                    continue;
                }
                if (nanos != Long.MAX_VALUE) {
                    nanos -= System.nanoTime() - before;
                    if (nanos <= 0) {
                        return;
                    }
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private Selector readSelector() throws IOException {
        synchronized (selectorsLock) {
            if (readSelector == null) {
                readSelector = openSelector(SelectionKey.OP_READ);
            }
            return readSelector;
        }
    }

    private Selector writeSelector() throws IOException {
        synchronized (selectorsLock) {
            if (writeSelector == null) {
                writeSelector = openSelector(SelectionKey.OP_WRITE);
            }
            return writeSelector;
        }
    }

    private Selector openSelector(int operation) throws IOException {
        ensureOpen();
        Selector selector = Selector.open();
        try {
            channel.register(selector, operation);
        } catch (IOException | RuntimeException e) {
            selector.close();
            throw e;
        }
        return selector;
    }

    private void lockReceive() throws IOException {
        if (!selectable) {
            receiveLock.lock();
            return;
        }
        try {
            receiveLock.lockInterruptibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for another thread's receive");
        }
    }

    private void fireWaiters() {
        Waiter waiter;
        while ((waiter = waiters.poll()) != null) {
            waiter.fire();
        }
    }

    private void requireSelectable(String what) {
        if (!selectable) {
            throw new UnsupportedOperationException("a blocking FrameChannel cannot be " + what + "; create it with "
                    + "FrameChannel.selectable");
        }
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException("the connection is closed");
        }
    }

    /**
     * The {@link System#nanoTime()} at which {@code timeout} ends; {@link Long#MAX_VALUE} for null (no limit) or a
     * timeout too long to count in nanoseconds.
     */
    public static long deadline(Duration timeout) {
        if (timeout == null) {
            return Long.MAX_VALUE;
        }
        long now = System.nanoTime();
        long nanos = Math.max(0, saturatedNanos(timeout));
        return nanos >= Long.MAX_VALUE / 4 ? Long.MAX_VALUE : now + nanos;
    }

    public static long remaining(long deadline) {
        return deadline == Long.MAX_VALUE ? Long.MAX_VALUE : deadline - System.nanoTime();
    }

    private static long saturatedNanos(Duration duration) {
        try {
            return duration.toNanos();
        } catch (ArithmeticException e) {
            return duration.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }

    private static void closeQuietly(Selector selector) {
        if (selector != null) {
            try {
                selector.close();
            } catch (IOException e) {
                // Nothing is left to release.
            }
        }
    }

    /** A one-shot action. */
    private static final class Waiter {
        private final Runnable action;
        private final AtomicBoolean fired = new AtomicBoolean();

        Waiter(Runnable action) {
            this.action = action;
        }

        void fire() {
            if (fired.compareAndSet(false, true)) {
                action.run();
            }
        }
    }
}
