package io.multiprocess.internal.pool;

import io.multiprocess.internal.transport.FrameCodec;
import io.multiprocess.internal.transport.FrameTypes;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The pool's messages on a worker's control channel, as {@link FrameTypes.Pool} lists them, laid out by
 * {@link FrameCodec}. A RESULT's fields are read in place (the scheduler reads its status and heap before it loads
 * the payload, which stays in the frame without a copy).
 */
public final class PoolFrames {

    /** The fields of a RESULT before its payload: type, batch id, status, heap used, four times. */
    public static final int RESULT_HEADER = 1 + 8 + 1 + 8 + 4 * 8;

    private PoolFrames() {
    }

    /** @param headers the trace headers as name, value, name, value...; empty when the task is not traced */
    public static byte[] task(long batchId, List<String> headers, byte[] payload) {
        int headerBytes = 4;
        for (String header : headers) {
            headerBytes += 4 + header.length() * 3;
        }
        return FrameCodec.frame(FrameTypes.Pool.TASK, 8 + headerBytes + payload.length).putLong(batchId)
                .putStrings(headers).putRest(payload).toBytes();
    }

    /** The trace headers of a task, flattened for {@link #task}. */
    public static List<String> flatten(Map<String, String> headers) {
        if (headers == null || headers.isEmpty()) {
            return List.of();
        }
        List<String> flat = new ArrayList<>(headers.size() * 2);
        headers.forEach((name, value) -> {
            flat.add(name);
            flat.add(value);
        });
        return flat;
    }

    /** A TASK's batch id, trace headers and payload. */
    public record Task(long batchId, Map<String, String> headers, byte[] payload) {
        public static Task read(byte[] frame) throws IOException {
            FrameCodec.Reader reader = FrameCodec.read(frame);
            long batchId = reader.getLong();
            List<String> flat = reader.getStrings();
            if (flat.size() % 2 != 0) {
                throw new IOException("a TASK's trace headers are not name and value pairs");
            }
            Map<String, String> headers = Map.of();
            if (!flat.isEmpty()) {
                headers = new LinkedHashMap<>();
                for (int i = 0; i < flat.size(); i += 2) {
                    headers.put(flat.get(i), flat.get(i + 1));
                }
            }
            return new Task(batchId, headers, reader.rest());
        }
    }

    /** Where a worker's time went on one task, in nanoseconds. */
    public record WorkerTimes(long waiting, long deserializing, long working, long serializing) {
        public static final WorkerTimes NONE = new WorkerTimes(0, 0, 0, 0);
    }

    public static byte[] result(long batchId, byte status, long heapUsed, WorkerTimes times, byte[] payload) {
        return FrameCodec.frame(FrameTypes.Pool.RESULT, RESULT_HEADER - 1 + payload.length).putLong(batchId)
                .putByte(status).putLong(heapUsed).putLong(times.waiting()).putLong(times.deserializing())
                .putLong(times.working()).putLong(times.serializing()).putRest(payload).toBytes();
    }

    /** A RESULT's fields; its payload starts at {@link #RESULT_HEADER} in the frame. */
    public record Result(long batchId, byte status, long heapUsed, WorkerTimes times) {
        public static Result read(byte[] frame) throws IOException {
            FrameCodec.Reader reader = FrameCodec.read(frame);
            return new Result(reader.getLong(), reader.getByte(), reader.getLong(),
                    new WorkerTimes(reader.getLong(), reader.getLong(), reader.getLong(), reader.getLong()));
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
