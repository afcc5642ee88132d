package io.multiprocess.internal.launch;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Whom a child JVM's relayed output is logged for: the logger, the MDC every line carries, and the task the child
 * runs when a line is read (see {@link io.multiprocess.ChildOutput#LOG}). Lines are logged on the child's own pump
 * threads, each the only user of its MDC.
 */
public final class ChildOutputSource {

    /** The logger of a child's output before anyone claimed it (a warm spare) and of plain processes. */
    public static final String PROCESS_LOGGER = "io.multiprocess.process";
    /** The prefix of a pool's worker logger; the pool's name follows. */
    public static final String WORKER_LOGGER_PREFIX = "io.multiprocess.worker.";

    private final Logger logger;
    private final Map<String, String> mdc;
    private final Supplier<Map<String, String>> task;

    private ChildOutputSource(String loggerName, Map<String, String> mdc, Supplier<Map<String, String>> task) {
        this.logger = LoggerFactory.getLogger(loggerName);
        this.mdc = Map.copyOf(mdc);
        this.task = task;
    }

    static ChildOutputSource unassigned(long pid) {
        return new ChildOutputSource(PROCESS_LOGGER, Map.of("mp.pid", Long.toString(pid)), null);
    }

    /** A process started on its own: its name in {@code mp.process}. */
    public static ChildOutputSource process(long pid, String name) {
        return new ChildOutputSource(PROCESS_LOGGER, Map.of("mp.pid", Long.toString(pid), "mp.process", name), null);
    }

    /**
     * A pool's worker: logger {@code io.multiprocess.worker.<pool>}, its name in {@code mp.pool}, and what
     * {@code task} gives when a line is read: the running task's entries ({@code mp.task}, and its trace's
     * {@code traceId} and {@code spanId}), empty between tasks.
     */
    public static ChildOutputSource poolWorker(long pid, String pool, Supplier<Map<String, String>> task) {
        return new ChildOutputSource(WORKER_LOGGER_PREFIX + pool,
                Map.of("mp.pid", Long.toString(pid), "mp.pool", pool), task);
    }

    /** What an event the child logged through SLF4J gets in its MDC here: the child's, the task now. */
    Map<String, String> eventMdc() {
        Map<String, String> running = task == null ? Map.of() : task.get();
        if (running.isEmpty()) {
            return mdc;
        }
        Map<String, String> context = new HashMap<>(mdc);
        context.putAll(running);
        return context;
    }

    void log(OutputPump.Stream stream, String line) {
        boolean enabled = stream == OutputPump.Stream.STDOUT ? logger.isInfoEnabled() : logger.isWarnEnabled();
        if (!enabled) {
            return;
        }
        Map<String, String> context = new HashMap<>(mdc);
        context.put("mp.stream", stream.label());
        if (task != null) {
            context.putAll(task.get());
        }
        MDC.setContextMap(context);
        try {
            if (stream == OutputPump.Stream.STDOUT) {
                logger.info(line);
            } else {
                logger.warn(line);
            }
        } finally {
            MDC.clear();
        }
    }
}
