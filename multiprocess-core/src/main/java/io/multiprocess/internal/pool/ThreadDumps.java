package io.multiprocess.internal.pool;

import io.multiprocess.pool.ThreadDump;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * A {@link ThreadDump} as it travels in a THREADS answer: plain fields (names, states, frames), never through a
 * reducer, so reading one loads no class. Bounded, so a worker's answer cannot make this JVM read without end.
 */
public final class ThreadDumps {

    /** Threads and frames read from a worker's answer at most; an answer claiming more is cut. */
    private static final int MAX_THREADS = 10_000;
    private static final int MAX_FRAMES = 4_096;

    private ThreadDumps() {
    }

    /** In the worker: this JVM's threads as the bytes of a THREADS answer. */
    public static byte[] capture(Thread taskThread) {
        Map<Thread, StackTraceElement[]> stacks = Thread.getAllStackTraces();
        List<Map.Entry<Thread, StackTraceElement[]>> ordered = new ArrayList<>(stacks.entrySet());
        ordered.sort(Comparator.comparing((Map.Entry<Thread, StackTraceElement[]> entry) -> entry.getKey() != taskThread)
                .thenComparing(entry -> entry.getKey().getName()));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(16 * 1024);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(Math.min(ordered.size(), MAX_THREADS));
            for (Map.Entry<Thread, StackTraceElement[]> entry : ordered.subList(0, Math.min(ordered.size(),
                    MAX_THREADS))) {
                Thread thread = entry.getKey();
                StackTraceElement[] frames = entry.getValue();
                out.writeUTF(thread.getName());
                out.writeLong(thread.getId());
                out.writeUTF(thread.getState().name());
                out.writeBoolean(thread.isDaemon());
                out.writeBoolean(thread == taskThread);
                int count = Math.min(frames.length, MAX_FRAMES);
                out.writeInt(count);
                for (int i = 0; i < count; i++) {
                    out.writeUTF(frames[i].getClassName());
                    out.writeUTF(frames[i].getMethodName());
                    out.writeUTF(frames[i].getFileName() == null ? "" : frames[i].getFileName());
                    out.writeInt(frames[i].getLineNumber());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * In the parent: reads a worker's answer.
     *
     * @throws IOException if the bytes are not a thread dump
     */
    public static ThreadDump decode(long workerPid, Duration takenBeforeKill, byte[] frame, int offset) throws IOException {
        DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(frame, offset,
                frame.length - offset));
        int count = in.readInt();
        if (count < 0 || count > MAX_THREADS) {
            throw new IOException("a thread dump of " + count + " threads");
        }
        List<ThreadDump.ThreadStack> threads = new ArrayList<>();
        for (int t = 0; t < count; t++) {
            String name = in.readUTF();
            long id = in.readLong();
            Thread.State state = Thread.State.valueOf(in.readUTF());
            boolean daemon = in.readBoolean();
            boolean ranTask = in.readBoolean();
            int frames = in.readInt();
            if (frames < 0 || frames > MAX_FRAMES) {
                throw new IOException("a thread of " + frames + " frames");
            }
            List<StackTraceElement> stack = new ArrayList<>(Math.min(frames, 64));
            for (int f = 0; f < frames; f++) {
                String declaringClass = in.readUTF();
                String method = in.readUTF();
                String file = in.readUTF();
                int line = in.readInt();
                stack.add(new StackTraceElement(declaringClass, method, file.isEmpty() ? null : file, line));
            }
            threads.add(new ThreadDump.ThreadStack(name, id, state, daemon, ranTask, stack));
        }
        return new ThreadDump(workerPid, takenBeforeKill, threads);
    }
}
