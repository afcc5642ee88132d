package io.multiprocess.connection;

import io.multiprocess.errors.EndOfStreamException;
import java.time.Duration;

/**
 * One end of a two-way (or one-way) message channel between processes: Python's
 * {@code multiprocessing.connection.Connection}. Pipe ends ({@code ctx.pipe()}) and the sockets of
 * {@link Listener} and {@link Client} are connections.
 *
 * <pre>{@code
 * Pipe pipe = ctx.pipe();
 * Connection parentEnd = pipe.first();
 * Connection childEnd = pipe.second();
 * MpProcess child = ctx.process(() -> {
 *     childEnd.send("hello from " + Multiprocess.currentProcess().getName());
 *     childEnd.close();
 * });
 * child.start();
 * childEnd.close();                     // this process does not use the child's end
 * String greeting = parentEnd.recv();   // "hello from Process-1"
 * child.join();
 * }</pre>
 *
 * <p>Objects go through the context's reducer, bytes go as they are; either way message boundaries are kept and
 * an empty message is a message. Every method may be called from several threads; sends are serialized, and so
 * are receives.
 *
 * <p>Failures are unchecked: {@link EndOfStreamException} when the peer closed and nothing is left to receive,
 * {@link BufferTooShortException} from {@link #recvBytesInto}, {@link IllegalStateException} for a closed handle
 * or the wrong direction of a one-way end, {@link java.io.UncheckedIOException} for other I/O failures.
 */
public interface Connection extends Waitable, AutoCloseable {

    /** Sends an object, reduced by the context's reducer; it fails here, before anything is sent, if it cannot be reduced. */
    void send(Object value);

    /**
     * Receives the next object sent with {@link #send(Object)}, waiting as long as it takes.
     *
     * @throws EndOfStreamException if the peer closed and nothing is left to receive
     */
    <T> T recv();

    /** Sends all of {@code message} as one message. */
    default void sendBytes(byte[] message) {
        sendBytes(message, 0, message.length);
    }

    /** Sends {@code size} bytes of {@code buffer} from {@code offset} as one message. */
    void sendBytes(byte[] buffer, int offset, int size);

    /** Receives the next message as bytes. */
    default byte[] recvBytes() {
        return recvBytes(Integer.MAX_VALUE);
    }

    /**
     * Receives the next message as bytes.
     *
     * @throws java.io.UncheckedIOException if the message is longer than {@code maxLength}; the connection is then
     *     closed, as in Python, since the stream can no longer be trusted
     */
    byte[] recvBytes(int maxLength);

    /** Receives the next message into {@code buffer} from index 0; returns its length. */
    default int recvBytesInto(byte[] buffer) {
        return recvBytesInto(buffer, 0);
    }

    /**
     * Receives the next message into {@code buffer} from {@code offset}; returns its length.
     *
     * @throws BufferTooShortException if the message does not fit; the exception carries the whole message, which
     *     is consumed
     */
    int recvBytesInto(byte[] buffer, int offset);

    /** Whether a message (or the end of the stream) can be received now without waiting. */
    default boolean poll() {
        return poll(Duration.ZERO);
    }

    /**
     * Waits at most {@code timeout} for a message (or the end of the stream) to be receivable; {@code null} waits as
     * long as it takes (Python's {@code poll(None)}).
     */
    boolean poll(Duration timeout);

    /** Whether this end may receive. */
    boolean readable();

    /** Whether this end may send. */
    boolean writable();

    boolean isClosed();

    /** Closes this handle; the peer sees the end of the stream once every handle of this end is closed. */
    @Override
    void close();

    /** As {@link #poll()}: ready when a receive would not wait. */
    @Override
    default boolean isReady() {
        return poll();
    }
}
