package io.multiprocess.pool;

import io.multiprocess.function.SerializableRunnable;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The options of a process pool: Python's ({@code processes}, {@code initializer}, {@code maxtasksperchild}) and
 * ours (a default task timeout, memory recycling, how far {@code imap} reads ahead). Immutable; each method returns
 * a copy.
 *
 * <pre>{@code
 * ProcessPool pool = ctx.pool(PoolOptions.defaults()
 *         .processes(4)
 *         .initializer(() -> Model.load())
 *         .maxTasksPerChild(1000)
 *         .taskTimeout(Duration.ofMinutes(2))
 *         .maxWorkerRssBytes(512L << 20)
 *         .jvmArguments(List.of("-Xmx1g"))
 *         .exitPolicy(ExitPolicy.drain(Duration.ofSeconds(30))));
 * }</pre>
 *
 * @param processes worker JVMs; default {@link Multiprocess#cpuCount()}
 * @param initializer run once in each worker before its first task; null for none
 * @param maxTasksPerChild a worker is replaced after this many tasks (chunks); 0 for never
 * @param taskTimeout default time a task may run before its worker is killed and the task fails; null for none
 * @param maxWorkerRssBytes a worker whose resident memory exceeds this after a task is replaced; 0 for no limit
 * @param maxWorkerHeapBytes a worker whose used heap exceeds this after a task is replaced; 0 for no limit
 * @param jvmArguments JVM arguments for this pool's workers, after the context's (e.g. {@code -Xmx2g}); the pool
 *     then launches its workers through a context of its own with the same settings plus these
 * @param exitPolicy what the library does with the pool if it is still open when the JVM exits; default
 *     {@link ExitPolicy#terminate()}, as Python
 * @param threadDumpTimeout before a worker is killed for a task's timeout (or a cancel that kills), it is asked for
 *     its threads' stacks, which the {@link TaskTimeoutException} and the listener's event carry; this is how long
 *     it has to answer. The request is sent this long before the timeout, so the kill still comes on time; zero
 *     takes no dump. Default 250 ms
 * @param name what logs and worker process names call the pool, e.g. {@code "isolated"}; null for an unnamed pool
 * @param deferStart whether the workers wait for {@link io.multiprocess.ProcessPool#start()} (or the first task)
 *     instead of launching when the pool is created; for frameworks that create objects first and start them
 *     later, such as Spring's lifecycle
 */
public record PoolOptions(int processes, SerializableRunnable initializer, int maxTasksPerChild, Duration taskTimeout,
        long maxWorkerRssBytes, long maxWorkerHeapBytes, List<String> jvmArguments, ExitPolicy exitPolicy,
        Duration threadDumpTimeout, String name, boolean deferStart) {

    /** How long a worker has, by default, to send its threads' stacks before it is killed. */
    public static final Duration DEFAULT_THREAD_DUMP_TIMEOUT = Duration.ofMillis(250);

    public PoolOptions {
        if (processes < 1) {
            throw new IllegalArgumentException("processes must be at least 1, got " + processes);
        }
        if (maxTasksPerChild < 0) {
            throw new IllegalArgumentException("maxTasksPerChild must be positive, or 0 for no limit; got "
                    + maxTasksPerChild);
        }
        if (taskTimeout != null && (taskTimeout.isNegative() || taskTimeout.isZero())) {
            throw new IllegalArgumentException("taskTimeout must be positive, or null for none; got " + taskTimeout);
        }
        if (maxWorkerRssBytes < 0 || maxWorkerHeapBytes < 0) {
            throw new IllegalArgumentException("memory limits must be positive, or 0 for none");
        }
        jvmArguments = List.copyOf(jvmArguments);
        Objects.requireNonNull(exitPolicy, "exitPolicy");
        if (threadDumpTimeout == null || threadDumpTimeout.isNegative()) {
            throw new IllegalArgumentException("threadDumpTimeout must be positive, or zero to take no thread dump; "
                    + "got " + threadDumpTimeout);
        }
        if (name != null && name.isBlank()) {
            throw new IllegalArgumentException("a pool's name must not be blank; use null for an unnamed pool");
        }
    }

    /** One worker per CPU, no initializer, no recycling, no timeout. */
    public static PoolOptions defaults() {
        return new PoolOptions(Runtime.getRuntime().availableProcessors(), null, 0, null, 0, 0, List.of(),
                ExitPolicy.terminate(), DEFAULT_THREAD_DUMP_TIMEOUT, null, false);
    }

    public PoolOptions processes(int count) {
        return new PoolOptions(count, initializer, maxTasksPerChild, taskTimeout, maxWorkerRssBytes,
                maxWorkerHeapBytes, jvmArguments, exitPolicy, threadDumpTimeout, name, deferStart);
    }

    public PoolOptions initializer(SerializableRunnable code) {
        return new PoolOptions(processes, code, maxTasksPerChild, taskTimeout, maxWorkerRssBytes,
                maxWorkerHeapBytes, jvmArguments, exitPolicy, threadDumpTimeout, name, deferStart);
    }

    public PoolOptions maxTasksPerChild(int tasks) {
        return new PoolOptions(processes, initializer, tasks, taskTimeout, maxWorkerRssBytes, maxWorkerHeapBytes,
                jvmArguments, exitPolicy, threadDumpTimeout, name, deferStart);
    }

    public PoolOptions taskTimeout(Duration timeout) {
        return new PoolOptions(processes, initializer, maxTasksPerChild, timeout, maxWorkerRssBytes,
                maxWorkerHeapBytes, jvmArguments, exitPolicy, threadDumpTimeout, name, deferStart);
    }

    public PoolOptions maxWorkerRssBytes(long bytes) {
        return new PoolOptions(processes, initializer, maxTasksPerChild, taskTimeout, bytes, maxWorkerHeapBytes,
                jvmArguments, exitPolicy, threadDumpTimeout, name, deferStart);
    }

    public PoolOptions maxWorkerHeapBytes(long bytes) {
        return new PoolOptions(processes, initializer, maxTasksPerChild, taskTimeout, maxWorkerRssBytes, bytes,
                jvmArguments, exitPolicy, threadDumpTimeout, name, deferStart);
    }

    public PoolOptions jvmArguments(List<String> arguments) {
        return new PoolOptions(processes, initializer, maxTasksPerChild, taskTimeout, maxWorkerRssBytes,
                maxWorkerHeapBytes, arguments, exitPolicy, threadDumpTimeout, name, deferStart);
    }

    /** What the library does with the pool if it is still open at JVM exit; see {@link ExitPolicy}. */
    public PoolOptions exitPolicy(ExitPolicy policy) {
        return new PoolOptions(processes, initializer, maxTasksPerChild, taskTimeout, maxWorkerRssBytes,
                maxWorkerHeapBytes, jvmArguments, policy, threadDumpTimeout, name, deferStart);
    }

    /** What logs and worker process names call the pool; null for an unnamed pool. */
    public PoolOptions name(String poolName) {
        return new PoolOptions(processes, initializer, maxTasksPerChild, taskTimeout, maxWorkerRssBytes,
                maxWorkerHeapBytes, jvmArguments, exitPolicy, threadDumpTimeout, poolName, deferStart);
    }

    /**
     * Whether the workers wait for {@link io.multiprocess.ProcessPool#start()} or the first task, rather than
     * launching when the pool is created.
     */
    public PoolOptions deferStart(boolean defer) {
        return new PoolOptions(processes, initializer, maxTasksPerChild, taskTimeout, maxWorkerRssBytes,
                maxWorkerHeapBytes, jvmArguments, exitPolicy, threadDumpTimeout, name, defer);
    }

    /** How long a worker about to be killed has to send its threads' stacks; zero for no thread dump. */
    public PoolOptions threadDumpTimeout(Duration timeout) {
        return new PoolOptions(processes, initializer, maxTasksPerChild, taskTimeout, maxWorkerRssBytes,
                maxWorkerHeapBytes, jvmArguments, exitPolicy, timeout, name, deferStart);
    }
}
