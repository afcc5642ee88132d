package io.multiprocess.internal.pool;

import io.multiprocess.internal.launch.ControlMessage;
import io.multiprocess.pool.ThreadDump;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The pool's messages on a worker's control channel.
 *
 * <pre>
 *   TASK   [type][batch id: long][reduced TaskBatch]
 *   RESULT [type][batch id: long][status: byte][worker heap used: long][reduced List of results, Throwable, or
 *          UTF-8 text for UNREDUCIBLE]
 *   STOP   [type]
 *   WORKER_READY [type]             from the worker once its initializer ran
 *   THREAD_DUMP  [type]             to the worker: send your threads' stacks
 *   THREADS      [type][stacks]     its answer, see {@link ThreadDump#capture}
 * </pre>
 */
public final class PoolFrames {

    public static final byte OK = 0;
    public static final byte FAILED = 1;
    public static final byte UNREDUCIBLE = 2;
    /** As FAILED, and the worker exits right after (a VM error such as OutOfMemoryError left it untrustworthy). */
    public static final byte FAILED_WORKER_EXITS = 3;
    public static final int RESULT_HEADER = 1 + 8 + 1 + 8;
    private static final int TASK_HEADER = 1 + 8;

    private PoolFrames() {
    }

    public static byte[] task(long batchId, byte[] payload) {
        ByteBuffer frame = ByteBuffer.allocate(TASK_HEADER + payload.length);
        frame.put(ControlMessage.TASK).putLong(batchId).put(payload);
        return frame.array();
    }

    public static long taskId(byte[] frame) {
        return ByteBuffer.wrap(frame, 1, 8).getLong();
    }

    public static byte[] taskPayload(byte[] frame) {
        return Arrays.copyOfRange(frame, TASK_HEADER, frame.length);
    }

    public static byte[] result(long batchId, byte status, long heapUsed, byte[] payload) {
        ByteBuffer frame = ByteBuffer.allocate(RESULT_HEADER + payload.length);
        frame.put(ControlMessage.RESULT).putLong(batchId).put(status).putLong(heapUsed).put(payload);
        return frame.array();
    }

    public static long resultId(byte[] frame) {
        return ByteBuffer.wrap(frame, 1, 8).getLong();
    }

    public static byte resultStatus(byte[] frame) {
        return frame[9];
    }

    public static long resultHeapUsed(byte[] frame) {
        return ByteBuffer.wrap(frame, 10, 8).getLong();
    }

    public static byte[] stop() {
        return new byte[] {ControlMessage.STOP};
    }

    public static byte[] workerReady() {
        return new byte[] {ControlMessage.WORKER_READY};
    }

    public static byte[] threadDumpRequest() {
        return new byte[] {ControlMessage.THREAD_DUMP};
    }

    public static byte[] threads(byte[] stacks) {
        byte[] frame = new byte[1 + stacks.length];
        frame[0] = ControlMessage.THREADS;
        System.arraycopy(stacks, 0, frame, 1, stacks.length);
        return frame;
    }
}
