package io.multiprocess.connection;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;

/**
 * One end of a socket that carries whole messages: the project's single wire format.
 *
 * <p>Everything that crosses a process boundary is sent in frames through this class: the control channel between
 * a parent and its child JVMs, pool tasks, the traffic of hosted queues and pipes, and the public
 * {@link Connection}s of {@link Listener} and {@link Client}. The wire format is a frame per message: a
 * 4-byte big-endian length, then that many bytes. Message boundaries are kept; an empty message is a message.
 *
 * <p>Sends and receives are each serialized by their own lock, so one thread may send while another receives.
 */
public final class FrameChannel implements Closeable {

    /** Largest frame accepted; a Java array cannot be larger. */
    public static final int MAX_FRAME_LENGTH = Integer.MAX_VALUE - 8;

    private final SocketChannel channel;
    private final DataInputStream in;
    private final Object sendLock = new Object();
    private final Object receiveLock = new Object();
    private final ByteBuffer header = ByteBuffer.allocate(4);
    private volatile boolean closed;

    public FrameChannel(SocketChannel channel) {
        this.channel = channel;
        InputStream raw = Channels.newInputStream(channel);
        this.in = new DataInputStream(new BufferedInputStream(raw, 64 * 1024));
    }

    /** Sends one message holding all of {@code message}. */
    public void sendBytes(byte[] message) throws IOException {
        sendBytes(message, 0, message.length);
    }

    /** Sends one message holding {@code length} bytes of {@code buffer} from {@code offset}. */
    public void sendBytes(byte[] buffer, int offset, int length) throws IOException {
        if (offset < 0 || length < 0 || offset + length > buffer.length) {
            throw new IndexOutOfBoundsException(
                    "offset " + offset + " and length " + length + " do not fit a buffer of " + buffer.length);
        }
        ensureOpen();
        synchronized (sendLock) {
            header.clear();
            header.putInt(length).flip();
            ByteBuffer[] frame = {header, ByteBuffer.wrap(buffer, offset, length)};
            long remaining = 4L + length;
            while (remaining > 0) {
                remaining -= channel.write(frame);
            }
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
     * Receives one whole message of at most {@code maxLength} bytes.
     *
     * @throws EOFException if the peer closed the connection and no message is left
     * @throws IOException if the message is longer than {@code maxLength}; the connection is then closed, since
     *     the rest of the stream can no longer be framed
     */
    public byte[] recvBytes(int maxLength) throws IOException {
        ensureOpen();
        synchronized (receiveLock) {
            int length;
            try {
                length = in.readInt();
            } catch (EOFException e) {
                throw new EOFException("the peer closed the connection");
            }
            if (length < 0 || length > maxLength) {
                close();
                throw new IOException("received a message of " + length + " bytes where at most " + maxLength
                        + " are allowed; the connection was closed");
            }
            byte[] message = new byte[length];
            in.readFully(message);
            return message;
        }
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
        ensureOpen();
        synchronized (sendLock) {
            header.clear();
            header.putInt(head.length + length).flip();
            ByteBuffer[] frame = {header, ByteBuffer.wrap(head), ByteBuffer.wrap(body, offset, length)};
            long remaining = 4L + head.length + length;
            while (remaining > 0) {
                remaining -= channel.write(frame);
            }
        }
    }

    /**
     * Receives one message whose first {@code head.length} bytes are a protocol header: fills {@code head} with
     * them and returns the rest, so a large payload is not copied out of the message afterwards.
     *
     * @throws EOFException if the peer closed the connection and no message is left
     * @throws IOException if the message is shorter than the header
     */
    public byte[] recvBytes(byte[] head) throws IOException {
        ensureOpen();
        synchronized (receiveLock) {
            int length;
            try {
                length = in.readInt();
            } catch (EOFException e) {
                throw new EOFException("the peer closed the connection");
            }
            if (length < head.length) {
                close();
                throw new IOException("received a message of " + length + " bytes, shorter than its "
                        + head.length + "-byte header; the connection was closed");
            }
            in.readFully(head);
            byte[] body = new byte[length - head.length];
            in.readFully(body);
            return body;
        }
    }

    public boolean isClosed() {
        return closed;
    }

    @Override
    public void close() throws IOException {
        closed = true;
        channel.close();
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException("the connection is closed");
        }
    }
}
