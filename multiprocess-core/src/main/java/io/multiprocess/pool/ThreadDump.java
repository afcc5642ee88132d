package io.multiprocess.pool;

import java.time.Duration;
import java.util.List;

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
}
