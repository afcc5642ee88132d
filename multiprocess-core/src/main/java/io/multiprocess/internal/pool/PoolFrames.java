package io.multiprocess.internal.pool;

import io.multiprocess.internal.transport.FrameCodec;
import io.multiprocess.internal.transport.FrameTypes;
import java.io.IOException;

/**
 * The pool's messages on a worker's control channel, as {@link FrameTypes.Pool} lists them, laid out by
 * {@link FrameCodec}. A RESULT's fields are read in place (the scheduler reads its status and heap before it loads
 * the payload, which stays in the frame without a copy).
 */
public final class PoolFrames {

    /** The fields of a RESULT before its payload: type, batch id, status, heap used. */
    public static final int RESULT_HEADER = 1 + 8 + 1 + 8;

    private PoolFrames() {
    }

    public static byte[] task(long batchId, byte[] payload) {
        return FrameCodec.frame(FrameTypes.Pool.TASK, 8 + payload.length).putLong(batchId).putRest(payload)
                .toBytes();
    }

    /** A TASK's batch id and payload. */
    public record Task(long batchId, byte[] payload) {
        public static Task read(byte[] frame) throws IOException {
            FrameCodec.Reader reader = FrameCodec.read(frame);
            return new Task(reader.getLong(), reader.rest());
        }
    }

    public static byte[] result(long batchId, byte status, long heapUsed, byte[] payload) {
        return FrameCodec.frame(FrameTypes.Pool.RESULT, RESULT_HEADER - 1 + payload.length).putLong(batchId)
                .putByte(status).putLong(heapUsed).putRest(payload).toBytes();
    }

    /** A RESULT's fields; its payload starts at {@link #RESULT_HEADER} in the frame. */
    public record Result(long batchId, byte status, long heapUsed) {
        public static Result read(byte[] frame) throws IOException {
            FrameCodec.Reader reader = FrameCodec.read(frame);
            return new Result(reader.getLong(), reader.getByte(), reader.getLong());
        }
    }

    public static byte[] stop() {
        return FrameCodec.bare(FrameTypes.Pool.STOP);
    }

    public static byte[] workerReady() {
        return FrameCodec.bare(FrameTypes.Pool.WORKER_READY);
    }

    public static byte[] threadDumpRequest() {
        return FrameCodec.bare(FrameTypes.Pool.THREAD_DUMP);
    }

    public static byte[] threads(byte[] stacks) {
        return FrameCodec.frame(FrameTypes.Pool.THREADS, stacks.length).putRest(stacks).toBytes();
    }
}
