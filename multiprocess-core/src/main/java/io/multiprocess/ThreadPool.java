package io.multiprocess;

import io.multiprocess.function.SerializableFunction;
import io.multiprocess.internal.pool.TaskGroup;
import io.multiprocess.internal.pool.TaskRunner;
import io.multiprocess.internal.pool.ThreadRunner;
import io.multiprocess.pool.PoolOptions;
import java.time.Duration;
import java.util.List;

/**
 * The pool API on threads of this JVM (Python's {@code multiprocessing.pool.ThreadPool}): the same methods as
 * {@link ProcessPool}, for I/O-bound work or code that is cheap to run in-process. Nothing is serialized, nothing
 * is isolated: a crash or {@code System.exit} in a task ends this JVM, and a timeout or cancellation can only
 * interrupt the task's thread (the task fails at once; code that ignores interrupts keeps its thread busy).
 *
 * <pre>{@code
 * try (ThreadPool pool = new ThreadPool(8)) {
 *     List<String> pages = pool.map(url -> fetch(url), urls);
 * }
 * }</pre>
 */
public final class ThreadPool extends Pool {

    private final ThreadRunner runner;

    /** A pool of {@code threads} threads. */
    public ThreadPool(int threads) {
        this(PoolOptions.defaults().processes(threads));
    }

    /**
     * A pool with these options; {@code processes} is the number of threads, and the initializer runs once in each.
     *
     * @throws IllegalArgumentException for {@code maxTasksPerChild} or memory limits, which need worker processes
     */
    public ThreadPool(PoolOptions options) {
        this(options, new ThreadRunner(options));
    }

    private ThreadPool(PoolOptions options, ThreadRunner runner) {
        super(options, runner);
        this.runner = runner;
    }

    @Override
    TaskRunner.Task submit(TaskGroup group, SerializableFunction<Object, Object> function, List<Object> items,
            Duration timeout, TaskRunner.Completion completion) {
        return runner.submit(function, items, timeout, completion);
    }
}
