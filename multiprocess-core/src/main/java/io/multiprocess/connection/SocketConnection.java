package io.multiprocess.connection;

import io.multiprocess.errors.EndOfStreamException;
import io.multiprocess.internal.transport.FrameChannel;
import io.multiprocess.reduction.HandleToken;
import io.multiprocess.reduction.Reducer;
import io.multiprocess.reduction.ReductionException;
import io.multiprocess.reduction.SharedHandle;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.Objects;

/**
 * A {@link Connection} over an authenticated socket, made by {@link Listener#accept()} and {@link Client#connect}:
 * one {@link FrameChannel} in selectable mode, so it can be polled and waited on.
 *
 * <p>It is a {@link SharedHandle} only to refuse to travel: a JVM cannot hand a socket descriptor to another process,
 * so reducing one fails with a message that says what to send instead.
 */
final class SocketConnection implements Connection, SharedHandle {

    private final FrameChannel frames;
    private final Reducer reducer;
    private final String description;

    SocketConnection(FrameChannel frames, Reducer reducer, String description) {
        this.frames = frames;
        this.reducer = Objects.requireNonNull(reducer, "reducer");
        this.description = description;
    }

    @Override
    public void send(Object value) {
        ensureOpen();
        byte[] bytes = reducer.dumps(value);
        sendFrame(bytes, 0, bytes.length);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T recv() {
        return (T) reducer.loads(recvBytes());
    }

    @Override
    public void sendBytes(byte[] buffer, int offset, int size) {
        Objects.checkFromIndexSize(offset, size, buffer.length);
        ensureOpen();
        sendFrame(buffer, offset, size);
    }

    @Override
    public byte[] recvBytes(int maxLength) {
        if (maxLength < 0) {
            throw new IllegalArgumentException("maxLength must not be negative, got " + maxLength);
        }
        ensureOpen();
        try {
            return frames.recvBytes(maxLength);
        } catch (EOFException e) {
            throw new EndOfStreamException(description + ": " + e.getMessage());
        } catch (IOException e) {
            throw failure("receive from", e);
        }
    }

    @Override
    public int recvBytesInto(byte[] buffer, int offset) {
        if (offset < 0 || offset > buffer.length) {
            throw new IndexOutOfBoundsException("offset " + offset + " is outside a buffer of " + buffer.length
                    + " bytes");
        }
        byte[] message = recvBytes();
        int room = buffer.length - offset;
        if (message.length > room) {
            throw new BufferTooShortException(message, room);
        }
        System.arraycopy(message, 0, buffer, offset, message.length);
        return message.length;
    }

    @Override
    public boolean poll(Duration timeout) {
        ensureOpen();
        try {
            return frames.awaitReadable(timeout);
        } catch (IOException e) {
            throw failure("poll", e);
        }
    }

    @Override
    public AutoCloseable whenReady(Runnable action) {
        Objects.requireNonNull(action, "action");
        ensureOpen();
        return frames.whenReadable(action);
    }

    @Override
    public boolean readable() {
        return true;
    }

    @Override
    public boolean writable() {
        return true;
    }

    @Override
    public boolean isClosed() {
        return frames.isClosed();
    }

    @Override
    public void close() {
        try {
            frames.close();
        } catch (IOException e) {
            // The socket is gone either way.
        }
    }

    /** Refuses: a socket cannot be handed to another process from a JVM. */
    @Override
    public HandleToken token() {
        throw new ReductionException("a socket connection (" + description + ") cannot be sent to another "
                + "process: a JVM cannot pass a socket's descriptor on. Send the listener's address and connect "
                + "from the other process with Client.connect, or create a pipe (ctx.pipe()) and send one of its "
                + "ends.");
    }

    @Override
    public String toString() {
        return "SocketConnection[" + description + (isClosed() ? ", closed" : "") + "]";
    }

    private void sendFrame(byte[] buffer, int offset, int size) {
        try {
            frames.sendBytes(buffer, offset, size);
        } catch (IOException e) {
            throw failure("send to", e);
        }
    }

    private RuntimeException failure(String action, IOException e) {
        if (e instanceof ClosedChannelException && frames.isClosed()) {
            return new IllegalStateException("the connection " + description + " was closed");
        }
        return new UncheckedIOException("cannot " + action + " " + description + ": " + e.getMessage(), e);
    }

    private void ensureOpen() {
        if (frames.isClosed()) {
            throw new IllegalStateException("the connection " + description + " is closed");
        }
    }
}
