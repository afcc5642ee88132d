package io.multiprocess;

import java.time.Duration;

/**
 * Told when the processes of a context start and exit, pool workers included: for metrics and logs (the Spring Boot
 * starter's {@code multiprocess.process.*} meters are built on it). Methods run on internal threads and must return
 * quickly; an exception they throw is logged and ignored.
 *
 * <pre>{@code
 * ctx.addProcessListener(new ProcessListener() {
 *     public void processStarted(MpProcess process, String startMethod, Duration startDuration) {
 *         log.info("{} running after {} ms ({})", process.getName(), startDuration.toMillis(), startMethod);
 *     }
 * });
 * }</pre>
 */
public interface ProcessListener {

    /** The process's target is running in its child JVM, {@code startDuration} after {@code start()} was called. */
    default void processStarted(MpProcess process, String startMethod, Duration startDuration) {
    }

    /** The process's child JVM exited, with Python's exit code (negative: killed by that signal). */
    default void processExited(MpProcess process, String startMethod, int exitCode) {
    }
}
