package io.multiprocess.internal.hosting;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import io.multiprocess.internal.transport.FrameChannel;

/**
 * The frames between a process and an {@link ObjectHost}: a request names an operation, a request id, a hosted
 * object and a timeout, then the payload (a reduced message, or nothing); a reply names a status, the request id
 * and the object, then the payload. Each travels as one {@link FrameChannel} message, sent and received by a
 * {@link HostLink}, which may put a large payload in shared memory instead.
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

    /**
     * Either direction, handled by {@link HostLink}: the sender's ring for large payloads is the segment named by
     * the payload.
     */
    static final byte RING = 32;
    /** Flag on a code: the payload is in the sender's ring, and the frame carries its position and length. */
    static final byte SHARED = (byte) 0x80;

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

    /**
     * The header of a frame: a request's carries the timeout, a reply's does not. The payload follows it in the same
     * message.
     */
    static byte[] header(byte code, long requestId, long objectId, long timeoutNanos, boolean request) {
        ByteBuffer head = ByteBuffer.allocate(request ? REQUEST_HEADER : REPLY_HEADER).put(code).putLong(requestId)
                .putLong(objectId);
        if (request) {
            head.putLong(timeoutNanos);
        }
        return head.array();
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
