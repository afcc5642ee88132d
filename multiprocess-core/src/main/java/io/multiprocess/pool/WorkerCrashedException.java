package io.multiprocess.pool;

import io.multiprocess.errors.MultiprocessException;
import java.util.List;

/**
 * The worker running a task died before it finished (SIGKILL, {@code System.exit}, OutOfMemoryError, a native
 * crash). Only the tasks that worker held fail; the worker is replaced and the pool goes on.
 */
public class WorkerCrashedException extends MultiprocessException {

    private static final long serialVersionUID = 1L;

    private final long workerPid;
    private final int exitCode;
    private final List<String> stderrTail;

    public WorkerCrashedException(String message, long workerPid, int exitCode, List<String> stderrTail) {
        super(message);
        this.workerPid = workerPid;
        this.exitCode = exitCode;
        this.stderrTail = List.copyOf(stderrTail);
    }

    public long workerPid() {
        return workerPid;
    }

    /** Python's exit code: {@code -9} for SIGKILL, {@code n} for {@code System.exit(n)}. */
    public int exitCode() {
        return exitCode;
    }

    /** The last lines the worker wrote to stderr before it died. */
    public List<String> stderrTail() {
        return stderrTail;
    }
}
