package io.multiprocess.pool;

import io.multiprocess.errors.MultiprocessException;
import java.util.Optional;

/**
 * A task ran past its timeout: its worker was killed and replaced, and the task failed with this.
 *
 * <p>Before the kill the worker is asked for its threads' stacks ({@link PoolOptions#threadDumpTimeout}); when it
 * answered in time, {@link #threadDump()} has them, and the stack of the thread that ran the task is attached as a
 * suppressed exception, so a logged stack trace shows where the runaway task was:
 *
 * <pre>{@code
 * } catch (TaskTimeoutException e) {
 *     log.warn("report took too long", e);     // ... Suppressed: ... stack of the task in worker pid 4242
 *     e.threadDump().ifPresent(dump -> archive(dump.toString()));
 * }
 * }</pre>
 */
public class TaskTimeoutException extends MultiprocessException {

    private static final long serialVersionUID = 1L;

    private final transient ThreadDump threadDump;

    public TaskTimeoutException(String message) {
        this(message, null);
    }

    /** @param threadDump the worker's threads before the kill, or null if it did not answer in time */
    public TaskTimeoutException(String message, ThreadDump threadDump) {
        super(message);
        this.threadDump = threadDump;
        if (threadDump != null) {
            threadDump.taskThread().ifPresent(thread -> {
                MultiprocessException where = new MultiprocessException("stack of the task in worker pid "
                        + threadDump.workerPid() + ", thread '" + thread.name() + "' (" + thread.state() + "), "
                        + threadDump.takenBeforeKill().toMillis() + " ms before the kill");
                where.setStackTrace(thread.frames().toArray(StackTraceElement[]::new));
                addSuppressed(where);
            });
        }
    }

    /** The worker's threads, taken just before it was killed; empty if it could not answer in time. */
    public Optional<ThreadDump> threadDump() {
        return Optional.ofNullable(threadDump);
    }
}
