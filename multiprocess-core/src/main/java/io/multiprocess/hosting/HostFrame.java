package io.multiprocess.hosting;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The frames between a process and an {@link ObjectHost}: a request names an operation, a request id, a hosted
 * object and a timeout, then the payload (a reduced message, or nothing); a reply names a status, the request id
 * and the object, then the payload. Each travels as one {@link io.multiprocess.connection.FrameChannel} message.
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

    // Replies.
    static final byte OK = 64;
    static final byte ITEM = 65;
    static final byte TIMED_OUT = 66;
    static final byte END = 67;
    static final byte FAILED = 68;

    static byte[] request(byte op, long requestId, long objectId, long timeoutNanos, byte[] payload) {
        byte[] frame = new byte[REQUEST_HEADER + payload.length];
        ByteBuffer.wrap(frame).put(op).putLong(requestId).putLong(objectId).putLong(timeoutNanos).put(payload);
        return frame;
    }

    static byte[] reply(byte status, long requestId, long objectId, byte[] payload) {
        byte[] frame = new byte[REPLY_HEADER + payload.length];
        ByteBuffer.wrap(frame).put(status).putLong(requestId).putLong(objectId).put(payload);
        return frame;
    }

    static byte[] failure(long requestId, long objectId, String message) {
        return reply(FAILED, requestId, objectId, message.getBytes(StandardCharsets.UTF_8));
    }

    static HostFrame parseRequest(byte[] frame) {
        ByteBuffer buffer = ByteBuffer.wrap(frame);
        return new HostFrame(buffer.get(), buffer.getLong(), buffer.getLong(), buffer.getLong(),
                Arrays.copyOfRange(frame, REQUEST_HEADER, frame.length));
    }

    static HostFrame parseReply(byte[] frame) {
        ByteBuffer buffer = ByteBuffer.wrap(frame);
        return new HostFrame(buffer.get(), buffer.getLong(), buffer.getLong(), 0,
                Arrays.copyOfRange(frame, REPLY_HEADER, frame.length));
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
