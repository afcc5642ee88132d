package io.multiprocess.pool;

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
 * The stacks of a worker JVM's threads, taken just before the worker was killed for a task's timeout (or a cancel
 * that kills): where the runaway task was. No Python pool gives this.
 *
 * <pre>{@code
 * try {
 *     pool.apply(() -> crunch(input), Duration.ofSeconds(30));
 * } catch (TaskTimeoutException e) {
 *     e.threadDump().ifPresent(dump -> log.warn("runaway task:\n{}", dump));   // jstack-like text
 * }
 * }</pre>
 *
 * <p>It travels as plain fields (names, states, frames), never through a reducer, so reading it loads no class.
 *
 * @param workerPid the worker it was taken in
 * @param takenBeforeKill how long before the kill it was taken (it is asked for ahead of the timeout, so the kill
 *     is never late)
 * @param threads every live thread of the worker, the one that ran the task first
 */
public record ThreadDump(long workerPid, Duration takenBeforeKill, List<ThreadStack> threads) {

    /** Threads and frames read from a worker's answer at most; an answer claiming more is cut. */
    private static final int MAX_THREADS = 10_000;
    private static final int MAX_FRAMES = 4_096;

    public ThreadDump {
        threads = List.copyOf(threads);
    }

    /**
     * One thread of the worker.
     *
     * @param ranTask whether this is the thread that ran the pool's tasks
     */
    public record ThreadStack(String name, long id, Thread.State state, boolean daemon, boolean ranTask,
            List<StackTraceElement> frames) {

        public ThreadStack {
            frames = List.copyOf(frames);
        }
    }

    /** The thread that ran the task, if the worker named one. */
    public java.util.Optional<ThreadStack> taskThread() {
        return threads.stream().filter(ThreadStack::ranTask).findFirst();
    }

    /** The dump as {@code jstack} prints it, the task's thread first. */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("threads of worker pid ").append(workerPid).append(", ")
                .append(takenBeforeKill.toMillis()).append(" ms before it was killed:\n");
        for (ThreadStack thread : threads) {
            text.append('\n').append('"').append(thread.name()).append('"').append(thread.daemon() ? " daemon" : "")
                    .append(" #").append(thread.id()).append(' ').append(thread.state())
                    .append(thread.ranTask() ? "   <- ran the task" : "").append('\n');
            for (StackTraceElement frame : thread.frames()) {
                text.append("\tat ").append(frame).append('\n');
            }
        }
        return text.toString();
    }

    /** In the worker: this JVM's threads as the bytes of a THREADS answer. */
    static byte[] capture(Thread taskThread) {
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
    static ThreadDump decode(long workerPid, Duration takenBeforeKill, byte[] frame, int offset) throws IOException {
        DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(frame, offset,
                frame.length - offset));
        int count = in.readInt();
        if (count < 0 || count > MAX_THREADS) {
            throw new IOException("a thread dump of " + count + " threads");
        }
        List<ThreadStack> threads = new ArrayList<>();
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
            threads.add(new ThreadStack(name, id, state, daemon, ranTask, stack));
        }
        return new ThreadDump(workerPid, takenBeforeKill, threads);
    }
}
