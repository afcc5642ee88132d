package io.multiprocess.spring.boot.autoconfigure;

import io.multiprocess.BaseContext;
import io.multiprocess.ChildOutput;
import io.multiprocess.ForkServerContext;
import io.multiprocess.Multiprocess;
import io.multiprocess.pool.PoolOptions;
import io.multiprocess.reduction.Reducer;
import io.multiprocess.reduction.Reducers;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.util.unit.DataSize;

/** Builds the library's objects from {@link MultiprocessProperties}, naming the property when a value is wrong. */
final class ContextFactory {

    private static final Logger LOG = LoggerFactory.getLogger(ContextFactory.class);

    private ContextFactory() {
    }

    /** The settings of one context, and the property prefix its errors name. */
    record ContextSettings(String prefix, MultiprocessProperties.StartMethod startMethod, Path executable,
            List<String> forkserverPreload, List<String> jvmArguments, boolean startupArchive,
            ChildOutput childOutput) {

        static ContextSettings of(MultiprocessProperties properties) {
            return new ContextSettings("multiprocess", properties.getStartMethod(), properties.getExecutable(),
                    properties.getForkserverPreload(), properties.getJvmArguments(), properties.isStartupArchive(),
                    properties.getChildOutput());
        }

        /** A named pool's own context: what it sets, the application's settings for the rest. */
        static ContextSettings of(MultiprocessProperties properties, String name,
                MultiprocessProperties.NamedPool pool) {
            return new ContextSettings("multiprocess.pools." + name,
                    pool.getStartMethod() != null ? pool.getStartMethod() : properties.getStartMethod(),
                    pool.getExecutable() != null ? pool.getExecutable() : properties.getExecutable(),
                    properties.getForkserverPreload(), properties.getJvmArguments(),
                    pool.getStartupArchive() != null ? pool.getStartupArchive() : properties.isStartupArchive(),
                    properties.getChildOutput());
        }
    }

    static Reducer reducer(String property, String name) {
        try {
            return Reducers.byName(name);
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new MultiprocessPropertyException(property, name, e.getMessage(),
                    "Set " + property + " to kryo, java or jackson (with tools.jackson.core:jackson-databind on the "
                            + "classpath), or to the class name of a Reducer with a public no-argument constructor.",
                    e);
        }
    }

    static BaseContext context(ContextSettings settings, Reducer reducer) {
        BaseContext context = Multiprocess.newContext(settings.startMethod().methodName());
        context.setReducer(reducer);
        try {
            context.setExecutable(settings.executable());
        } catch (IllegalArgumentException e) {
            throw new MultiprocessPropertyException(settings.prefix() + ".executable", settings.executable(),
                    e.getMessage(), "Point it at a JDK's bin/java, or remove it to use the java running this "
                            + "application.", e);
        }
        context.setJvmArguments(settings.jvmArguments());
        context.setStartupArchive(settings.startupArchive());
        context.setChildOutput(settings.childOutput());
        if (!settings.forkserverPreload().isEmpty()) {
            if (context instanceof ForkServerContext forkServer) {
                try {
                    forkServer.setForkserverPreload(settings.forkserverPreload());
                } catch (IllegalArgumentException e) {
                    throw new MultiprocessPropertyException("multiprocess.forkserver-preload",
                            settings.forkserverPreload(), e.getMessage(),
                            "List fully qualified names of classes on the application's classpath.", e);
                }
            } else {
                LOG.warn("multiprocess.forkserver-preload is set but {}.start-method is {}: a spawned JVM has no "
                        + "warm server to preload classes into, so it is ignored. Remove it, or use forkserver",
                        settings.prefix(), settings.startMethod().methodName());
            }
        }
        return context;
    }

    /** The options of the pool configured under {@code prefix}, before customizers. */
    static PoolOptions poolOptions(String prefix, MultiprocessProperties.Pool pool) {
        PoolOptions options = PoolOptions.defaults();
        try {
            if (pool.getProcesses() != null) {
                options = options.processes(pool.getProcesses());
            }
        } catch (IllegalArgumentException e) {
            throw invalid(prefix + ".processes", pool.getProcesses(), e, "Set it to 1 or more, or remove it for "
                    + "one worker per CPU.");
        }
        try {
            options = options.maxTasksPerChild(pool.getMaxTasksPerChild());
        } catch (IllegalArgumentException e) {
            throw invalid(prefix + ".max-tasks-per-child", pool.getMaxTasksPerChild(), e,
                    "Set it to a positive number, or 0 for no limit.");
        }
        try {
            options = options.taskTimeout(pool.getTaskTimeout());
        } catch (IllegalArgumentException e) {
            throw invalid(prefix + ".task-timeout", pool.getTaskTimeout(), e,
                    "Set a positive duration such as 30s or 2m, or remove it for no limit.");
        }
        try {
            options = options.maxWorkerRssBytes(bytes(pool.getMaxWorkerRss()))
                    .maxWorkerHeapBytes(bytes(pool.getMaxWorkerHeap()));
        } catch (IllegalArgumentException e) {
            throw invalid(prefix + ".max-worker-rss / max-worker-heap",
                    pool.getMaxWorkerRss() + " / " + pool.getMaxWorkerHeap(), e,
                    "Set positive sizes such as 512MB, or remove them for no limit.");
        }
        if (pool.getShutdownGracePeriod() == null || pool.getShutdownGracePeriod().isNegative()) {
            throw new MultiprocessPropertyException(prefix + ".shutdown-grace-period",
                    pool.getShutdownGracePeriod(), "the grace period must be zero or more",
                    "Set a duration such as 30s; 0 kills running tasks at once.", null);
        }
        return options.jvmArguments(pool.getJvmArguments());
    }

    private static long bytes(DataSize size) {
        return size == null ? 0 : size.toBytes();
    }

    private static MultiprocessPropertyException invalid(String property, Object value, IllegalArgumentException e,
            String action) {
        return new MultiprocessPropertyException(property, value, e.getMessage(), action, e);
    }
}
