package io.multiprocess;

/**
 * Where child JVMs' stdout and stderr go, set per context with {@link BaseContext#setChildOutput}.
 *
 * <pre>{@code
 * ctx.setChildOutput(ChildOutput.LOG);
 * try (ProcessPool pool = ctx.pool(PoolOptions.defaults().name("render"))) {
 *     pool.apply(() -> { System.out.println("hello"); return null; });
 *     // -> an INFO event of logger io.multiprocess.worker.render, message "hello",
 *     //    MDC mp.pid=<worker pid>, mp.pool=render, mp.task=<task id>, mp.stream=stdout
 * }
 * }</pre>
 */
public enum ChildOutput {

    /**
     * Written straight to this JVM's stdout and stderr, as Python's children share their parent's (the default):
     * nothing in between, and nothing of this JVM's logging configuration applies.
     */
    INHERIT,

    /**
     * Each line becomes an SLF4J event of this JVM: stdout lines at INFO, stderr lines at WARN, of the logger
     * {@code io.multiprocess.worker.<pool name>} for pool workers ({@code io.multiprocess.worker.pool} for an
     * unnamed pool) and {@code io.multiprocess.process} for other children, with {@code mp.pid}, {@code mp.stream},
     * {@code mp.pool} and {@code mp.task} (the task the worker was running when the line was read) or
     * {@code mp.process} (the process's name) in the MDC. So the application's logging configuration (patterns,
     * JSON, levels, appenders) applies to them. A line longer than 8,192 characters is cut into pieces of that
     * size. A child's last lines are logged before its exit is reported.
     */
    LOG
}
