package io.multiprocess.internal.hosting;

import io.multiprocess.internal.transport.FrameChannel;
import io.multiprocess.internal.transport.FrameCodec;
import io.multiprocess.internal.transport.FrameTypes;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The frames between a process and an {@link ObjectHost} (their codes and fields: {@link FrameTypes.Host}): a
 * request names an operation, a request id, a hosted object and a timeout, then the payload (a reduced message, or
 * nothing); a reply names a status, the request id and the object, then the payload. Each travels as one {@link FrameChannel} message, sent and received by a
 * {@link HostLink}, which may put a large payload in shared memory instead.
 */
record HostFrame(byte code, long requestId, long objectId, long timeoutNanos, byte[] payload) {

    static final int REQUEST_HEADER = 1 + 8 + 8 + 8;
    static final int REPLY_HEADER = 1 + 8 + 8;

    static HostFrame request(byte op, long requestId, long objectId, long timeoutNanos, byte[] payload) {
        return new HostFrame(op, requestId, objectId, timeoutNanos, payload);
    }

    static HostFrame reply(byte status, long requestId, long objectId, byte[] payload) {
        return new HostFrame(status, requestId, objectId, 0, payload);
    }

    static HostFrame failure(long requestId, long objectId, String message) {
        return reply(FrameTypes.Host.FAILED, requestId, objectId, message.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The header of a frame: a request's carries the timeout, a reply's does not. The payload follows it in the same
     * message.
     */
    static byte[] header(byte code, long requestId, long objectId, long timeoutNanos, boolean request) {
        FrameCodec.Writer head = FrameCodec.frame(code, (request ? REQUEST_HEADER : REPLY_HEADER) - 1)
                .putLong(requestId).putLong(objectId);
        if (request) {
            head.putLong(timeoutNanos);
        }
        return head.toBytes();
    }

    /** The frame whose header is {@code head}, a request's or a reply's, with {@code payload} after it. */
    static HostFrame read(byte[] head, boolean request, byte code, byte[] payload) throws IOException {
        FrameCodec.Reader header = FrameCodec.read(head);
        return new HostFrame(code, header.getLong(), header.getLong(), request ? header.getLong() : 0, payload);
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
