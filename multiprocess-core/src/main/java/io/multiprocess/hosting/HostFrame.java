package io.multiprocess.hosting;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import io.multiprocess.connection.FrameChannel;
import java.io.IOException;
import java.io.InterruptedIOException;

/**
 * The frames between a process and an {@link ObjectHost}: a request names an operation, a request id, a hosted
 * object and a timeout, then the payload (a reduced message, or nothing); a reply names a status, the request id
 * and the object, then the payload. Each travels as one {@link FrameChannel} message, header and payload written
 * and read without copying the payload.
 */
record HostFrame(byte code, long requestId, long objectId, long timeoutNanos, byte[] payload) {

    static final int REQUEST_HEADER = 1 + 8 + 8 + 8;
    static final int REPLY_HEADER = 1 + 8 + 8;

    // Requests.
    static final byte GET = 1;
    static final byte PUT = 2;
    /** A put on an unbounded mailbox: answered only if it fails, so a producer never waits for the host. */
    static final byte PUT_ONE_WAY = 3;
    static final byte SIZE = 4;
    static final byte TASK_DONE = 5;
    static final byte JOIN = 6;
    static final byte WITHDRAW = 7;
    static final byte ATTACH = 8;
    static final byte DETACH = 9;
    static final byte IN_TRANSIT = 10;
    /** A message fetched for a handle that will not read it goes back to the head of its mailbox. */
    static final byte PUT_BACK = 11;

    // Replies.
    static final byte OK = 64;
    static final byte ITEM = 65;
    static final byte TIMED_OUT = 66;
    static final byte END = 67;
    static final byte FAILED = 68;

    static HostFrame request(byte op, long requestId, long objectId, long timeoutNanos, byte[] payload) {
        return new HostFrame(op, requestId, objectId, timeoutNanos, payload);
    }

    static HostFrame reply(byte status, long requestId, long objectId, byte[] payload) {
        return new HostFrame(status, requestId, objectId, 0, payload);
    }

    static HostFrame failure(long requestId, long objectId, String message) {
        return reply(FAILED, requestId, objectId, message.getBytes(StandardCharsets.UTF_8));
    }

    /** Sends this as a request; the payload goes to the socket as it is, uncopied. */
    void sendRequest(FrameChannel channel) throws IOException {
        byte[] head = new byte[REQUEST_HEADER];
        ByteBuffer.wrap(head).put(code).putLong(requestId).putLong(objectId).putLong(timeoutNanos);
        sendUninterruptibly(channel, head);
    }

    /** Sends this as a reply; the payload goes to the socket as it is, uncopied. */
    void sendReply(FrameChannel channel) throws IOException {
        byte[] head = new byte[REPLY_HEADER];
        ByteBuffer.wrap(head).put(code).putLong(requestId).putLong(objectId);
        sendUninterruptibly(channel, head);
    }

    /**
     * Frames are sent from the caller's thread (a put completes a waiting get by writing its reply), and one
     * connection is shared by every handle: an interrupt meant for the caller must neither abandon a frame nor
     * break the connection. The interrupt is kept for the caller.
     */
    private void sendUninterruptibly(FrameChannel channel, byte[] head) throws IOException {
        boolean interrupted = Thread.interrupted();
        try {
            while (true) {
                try {
                    channel.sendBytes(head, payload, 0, payload.length);
                    return;
                } catch (InterruptedIOException e) {
                    // Nothing of the frame was written: send it again.
                    interrupted |= Thread.interrupted();
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Both ends of a host connection: selectable, so an interrupt never closes the shared socket. */
    static FrameChannel open(java.nio.channels.SocketChannel channel) throws IOException {
        return FrameChannel.selectable(channel);
    }

    static HostFrame receiveRequest(FrameChannel channel) throws IOException {
        byte[] head = new byte[REQUEST_HEADER];
        byte[] payload = channel.recvBytes(head);
        ByteBuffer buffer = ByteBuffer.wrap(head);
        return new HostFrame(buffer.get(), buffer.getLong(), buffer.getLong(), buffer.getLong(), payload);
    }

    static HostFrame receiveReply(FrameChannel channel) throws IOException {
        byte[] head = new byte[REPLY_HEADER];
        byte[] payload = channel.recvBytes(head);
        ByteBuffer buffer = ByteBuffer.wrap(head);
        return new HostFrame(buffer.get(), buffer.getLong(), buffer.getLong(), 0, payload);
    }

    static byte[] intPayload(int value) {
        return ByteBuffer.allocate(4).putInt(value).array();
    }

    int payloadInt() {
        return ByteBuffer.wrap(payload).getInt();
    }

    String payloadText() {
        return new String(payload, StandardCharsets.UTF_8);
    }
}
