package io.multiprocess.spring.boot.autoconfigure;

import io.multiprocess.BaseContext;
import io.multiprocess.ForkServerContext;
import io.multiprocess.Multiprocess;
import io.multiprocess.pool.ExitPolicy;
import io.multiprocess.pool.PoolOptions;
import io.multiprocess.reduction.Reducer;
import io.multiprocess.reduction.Reducers;
import org.springframework.util.unit.DataSize;

/** Builds the library's objects from {@link MultiprocessProperties}, naming the property when a value is wrong. */
final class ContextFactory {

    private ContextFactory() {
    }

    static Reducer reducer(MultiprocessProperties properties) {
        try {
            return Reducers.byName(properties.getReducer());
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new MultiprocessPropertyException("multiprocess.reducer", properties.getReducer(), e.getMessage(),
                    "Set multiprocess.reducer to kryo, java or jackson (with tools.jackson.core:jackson-databind on "
                            + "the classpath), or to the class name of a Reducer with a public no-argument "
                            + "constructor.", e);
        }
    }

    static BaseContext context(MultiprocessProperties properties, Reducer reducer) {
        BaseContext context;
        try {
            context = Multiprocess.newContext(properties.getStartMethod());
        } catch (IllegalArgumentException e) {
            throw new MultiprocessPropertyException("multiprocess.start-method", properties.getStartMethod(),
                    e.getMessage(), "Set multiprocess.start-method to forkserver or spawn.", e);
        }
        context.setReducer(reducer);
        try {
            context.setExecutable(properties.getExecutable());
        } catch (IllegalArgumentException e) {
            throw new MultiprocessPropertyException("multiprocess.executable", properties.getExecutable(),
                    e.getMessage(), "Point multiprocess.executable at a JDK's bin/java, or remove it to use the "
                            + "java running this application.", e);
        }
        context.setJvmArguments(properties.getJvmArguments());
        context.setStartupArchive(properties.isStartupArchive());
        if (context instanceof ForkServerContext forkServer && !properties.getForkserverPreload().isEmpty()) {
            try {
                forkServer.setForkserverPreload(properties.getForkserverPreload());
            } catch (IllegalArgumentException e) {
                throw new MultiprocessPropertyException("multiprocess.forkserver-preload",
                        properties.getForkserverPreload(), e.getMessage(),
                        "List fully qualified names of classes on the application's classpath.", e);
            }
        }
        return context;
    }

    static PoolOptions poolOptions(MultiprocessProperties.Pool pool) {
        PoolOptions options = PoolOptions.defaults();
        try {
            if (pool.getProcesses() != null) {
                options = options.processes(pool.getProcesses());
            }
        } catch (IllegalArgumentException e) {
            throw invalid("multiprocess.pool.processes", pool.getProcesses(), e, "Set it to 1 or more, or remove "
                    + "it for one worker per CPU.");
        }
        try {
            options = options.maxTasksPerChild(pool.getMaxTasksPerChild());
        } catch (IllegalArgumentException e) {
            throw invalid("multiprocess.pool.max-tasks-per-child", pool.getMaxTasksPerChild(), e,
                    "Set it to a positive number, or 0 for no limit.");
        }
        try {
            options = options.taskTimeout(pool.getTaskTimeout());
        } catch (IllegalArgumentException e) {
            throw invalid("multiprocess.pool.task-timeout", pool.getTaskTimeout(), e,
                    "Set a positive duration such as 30s or 2m, or remove it for no limit.");
        }
        try {
            options = options.maxWorkerRssBytes(bytes(pool.getMaxWorkerRss()))
                    .maxWorkerHeapBytes(bytes(pool.getMaxWorkerHeap()));
        } catch (IllegalArgumentException e) {
            throw invalid("multiprocess.pool.max-worker-rss / max-worker-heap",
                    pool.getMaxWorkerRss() + " / " + pool.getMaxWorkerHeap(), e,
                    "Set positive sizes such as 512MB, or remove them for no limit.");
        }
        if (pool.getShutdownGracePeriod() == null || pool.getShutdownGracePeriod().isNegative()) {
            throw new MultiprocessPropertyException("multiprocess.pool.shutdown-grace-period",
                    pool.getShutdownGracePeriod(), "the grace period must be zero or more",
                    "Set a duration such as 30s; 0 kills running tasks at once.", null);
        }
        // Spring's lifecycle shuts the pool down gracefully after the web server has finished its requests, so the
        // library's own exit hook must leave it alone meanwhile (it would otherwise terminate it at SIGTERM). The
        // margin covers the web server's own graceful phase before the pool's turn comes.
        return options.jvmArguments(pool.getJvmArguments())
                .exitPolicy(ExitPolicy.leaveToOwner(pool.getShutdownGracePeriod().plus(OWNER_MARGIN)));
    }

    /** Time Spring may take to reach the pool's lifecycle phase at shutdown (its default per-phase timeout). */
    static final java.time.Duration OWNER_MARGIN = java.time.Duration.ofSeconds(45);

    private static long bytes(DataSize size) {
        return size == null ? 0 : size.toBytes();
    }

    private static MultiprocessPropertyException invalid(String property, Object value, IllegalArgumentException e,
            String action) {
        return new MultiprocessPropertyException(property, value, e.getMessage(), action, e);
    }
}
