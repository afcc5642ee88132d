package io.multiprocess.internal.hosting;

import io.multiprocess.internal.MpLogger;
import io.multiprocess.internal.transport.FrameChannel;
import io.multiprocess.internal.transport.FrameTypes;
import java.io.Closeable;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;

/**
 * One side of an authenticated host connection ({@link HostClient} or {@link HostSession}): sends and receives
 * {@link HostFrame}s over its {@link FrameChannel}, each frame one message.
 *
 * <p>A payload of {@link #SHARED_THRESHOLD} bytes or more goes through this side's {@link PayloadRing} when there
 * is room: the frame then carries the flag {@link FrameTypes.Host#SHARED} and, as its payload, the position and length
 * in the ring. The ring is announced in the stream by a {@link FrameTypes.Host#RING} frame before its first use, and
 * replaced (announced again, larger) for a payload too large for it; the receiver switches rings when it reads
 * the announcement, after every frame that used the old one. Smaller payloads, and any payload the ring has no
 * room for, travel in the frame: small frames do not pay for the ring, and a sender never waits for it.
 */
final class HostLink implements Closeable {

    private static final Logger LOG = MpLogger.of(HostLink.class);
    /** Payloads from this size on go through shared memory; below it one socket write is cheaper. */
    static final int SHARED_THRESHOLD = 64 * 1024;
    private static final int SHARED_DESCRIPTOR = 8 + 4;

    private final FrameChannel channel;
    /** Held from the choice of a ring position to the frame's last byte, so frames use the ring in their order. */
    private final ReentrantLock sendLock = new ReentrantLock();
    /** This side's ring, created on the first large payload; guarded by sendLock. */
    private PayloadRing outgoing;
    private boolean ringUnavailable;
    /** Whether the sending thread was interrupted during the current send; guarded by sendLock. */
    private boolean interruptedWhileSending;
    /** The peer's ring; only the one thread that receives uses it. */
    private PayloadRing incoming;

    HostLink(FrameChannel channel) {
        this.channel = channel;
    }

    /** Both ends of a host connection: selectable, so an interrupt never closes the shared socket. */
    static FrameChannel open(SocketChannel channel) throws IOException {
        return FrameChannel.selectable(channel);
    }

    void sendRequest(HostFrame frame) throws IOException {
        send(frame, true);
    }

    void sendReply(HostFrame frame) throws IOException {
        send(frame, false);
    }

    HostFrame receiveRequest() throws IOException {
        return receive(true);
    }

    HostFrame receiveReply() throws IOException {
        return receive(false);
    }

    /**
     * Frames are sent from the caller's thread (a put completes a waiting get by writing its reply), and one
     * connection is shared by every handle: an interrupt meant for the caller must neither abandon a frame nor
     * break the connection. The interrupt is kept for the caller.
     */
    private void send(HostFrame frame, boolean request) throws IOException {
        boolean interrupted = Thread.interrupted();
        sendLock.lock();
        try {
            interruptedWhileSending = false;
            byte code = frame.code();
            byte[] payload = frame.payload();
            long start = payload.length >= SHARED_THRESHOLD ? toRing(payload, request) : -1;
            if (start >= 0) {
                code |= FrameTypes.Host.SHARED;
                payload = ByteBuffer.allocate(SHARED_DESCRIPTOR).putLong(start).putInt(payload.length).array();
            }
            sendWhole(HostFrame.header(code, frame.requestId(), frame.objectId(), frame.timeoutNanos(), request),
                    payload);
            interrupted |= interruptedWhileSending;
        } finally {
            sendLock.unlock();
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Called with sendLock held: sends one frame even if the thread is interrupted, and notes that it was. */
    private void sendWhole(byte[] head, byte[] payload) throws IOException {
        while (true) {
            try {
                channel.sendBytes(head, payload, 0, payload.length);
                return;
            } catch (InterruptedIOException e) {
                // Nothing of the frame was written: send it again.
                interruptedWhileSending |= Thread.interrupted();
            }
        }
    }

    /** Called with sendLock held: puts {@code payload} in the ring, announcing a new one first if needed. */
    private long toRing(byte[] payload, boolean request) throws IOException {
        if (ringUnavailable || payload.length > PayloadRing.MAX_CAPACITY / 2) {
            return -1;
        }
        if (outgoing == null || payload.length > outgoing.capacity() / 2) {
            PayloadRing ring;
            try {
                ring = PayloadRing.create(payload.length);
            } catch (RuntimeException e) {
                LOG.debug("large messages on this connection go through the socket: {}", e.toString());
                ringUnavailable = true;
                return -1;
            }
            if (outgoing != null) {
                outgoing.close();
            }
            outgoing = ring;
            byte[] name = ring.name().getBytes(StandardCharsets.UTF_8);
            sendWhole(HostFrame.header(FrameTypes.Host.RING, 0, 0, 0, request), name);
            // The peer maps it when it reads this; until then payloads go in their frames.
            return -1;
        }
        return outgoing.write(payload);
    }

    private HostFrame receive(boolean request) throws IOException {
        while (true) {
            byte[] head = new byte[request ? HostFrame.REQUEST_HEADER : HostFrame.REPLY_HEADER];
            byte[] payload = channel.recvBytes(head);
            byte code = head[0];
            if (code == FrameTypes.Host.RING) {
                attach(new String(payload, StandardCharsets.UTF_8));
                continue;
            }
            if ((code & FrameTypes.Host.SHARED) != 0) {
                code &= (byte) ~FrameTypes.Host.SHARED;
                payload = fromRing(payload);
            }
            return HostFrame.read(head, request, code, payload);
        }
    }

    private void attach(String name) {
        if (incoming != null) {
            incoming.close();
            incoming = null;
        }
        try {
            incoming = PayloadRing.attach(name);
        } catch (IOException e) {
            // The peer then never uses it: its payloads keep coming in their frames.
            LOG.debug("large messages on this connection come through the socket: {}", e.toString());
        }
    }

    private byte[] fromRing(byte[] descriptor) throws IOException {
        if (incoming == null || descriptor.length != SHARED_DESCRIPTOR) {
            throw new IOException("a frame names shared memory the peer never announced");
        }
        ByteBuffer where = ByteBuffer.wrap(descriptor);
        return incoming.read(where.getLong(), where.getInt());
    }

    /** Closes the connection; this side's ring is unlinked if the peer never mapped it. */
    @Override
    public void close() throws IOException {
        try {
            channel.close();
        } finally {
            sendLock.lock();
            try {
                if (outgoing != null) {
                    outgoing.close();
                }
            } finally {
                sendLock.unlock();
            }
        }
    }
}
