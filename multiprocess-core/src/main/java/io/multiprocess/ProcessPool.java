package io.multiprocess;

import io.multiprocess.function.SerializableFunction;
import io.multiprocess.internal.MpLogger;
import io.multiprocess.internal.launch.ChildJvm;
import io.multiprocess.internal.pool.Scheduler;
import io.multiprocess.internal.pool.TaskGroup;
import io.multiprocess.internal.pool.TaskRunner;
import io.multiprocess.pool.PoolOptions;
import io.multiprocess.pool.TaskTracer;
import io.multiprocess.reduction.Reducer;
import io.multiprocess.reduction.Reducers;
import io.multiprocess.reduction.ReductionException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A pool of worker JVMs (Python's {@code Pool}) that never hangs and can kill runaway work.
 *
 * <pre>{@code
 * try (ProcessPool pool = Multiprocess.getContext().pool(4)) {
 *     List<Integer> squares = pool.map(x -> x * x, List.of(1, 2, 3));           // [1, 4, 9]
 *     long primes = pool.apply(() -> countPrimes(1_000_000));
 *     AsyncResult<String> later = pool.applyAsync(() -> render(page), Duration.ofSeconds(30));
 *     for (Iterator<Row> it = pool.imap(Row::parse, lines::iterator, 100); it.hasNext(); ) { ... }
 * }   // close(): no new work, waits for the queued and running work, then stops the workers
 * }</pre>
 *
 * <p>Beyond Python: a worker that dies while running a task (SIGKILL, {@code System.exit}, OutOfMemoryError, a
 * native crash) fails exactly that task with a {@link io.multiprocess.pool.WorkerCrashedException} (exit code and
 * the worker's last stderr lines) and is replaced; a task that outlives its timeout fails with a
 * {@link io.multiprocess.pool.TaskTimeoutException} and its worker is killed and replaced; cancelling a running
 * task kills its worker; workers are recycled after {@code maxTasksPerChild} tasks or over a memory limit. See
 * {@link PoolOptions}.
 *
 * <p>{@link #close()} waits for the work (unlike Python's context manager, which terminates); use
 * {@link #terminate()} to stop at once. Thread-safe.
 */
public final class ProcessPool extends Pool {

    private static final AtomicInteger WORKER_COUNTER = new AtomicInteger();

    private final BaseContext context;
    /** The classes of the code this pool's calls ran, told to the context's starter once each. */
    private final Set<Class<?>> expectedCode = ConcurrentHashMap.newKeySet();
    private final Reducer reducer;
    private final Scheduler scheduler;
    private final TaskTracer tracer;
    private final String tracedName;

    private ProcessPool(BaseContext context, PoolOptions options, Reducer reducer, Scheduler scheduler) {
        super(options, scheduler);
        this.context = context;
        this.reducer = reducer;
        this.scheduler = scheduler;
        this.tracer = context.getTaskTracer();
        this.tracedName = options.name() == null ? "pool" : options.name();
    }

    @Override
    TaskTracer.Call traceCall(String kind) {
        if (tracer == null) {
            return null;
        }
        try {
            return tracer.callStarted(tracedName, kind);
        } catch (RuntimeException e) {
            MpLogger.INSTANCE.warn("the task tracer failed; the call goes on untraced: {}", e.toString());
            return null;
        }
    }

    /** Checks the options, then launches the workers, in parallel; see {@link BaseContext#pool(PoolOptions)}. */
    static ProcessPool create(BaseContext shared, PoolOptions options) {
        BaseContext context = options.jvmArguments().isEmpty() ? shared
                : shared.withExtraJvmArguments(options.jvmArguments());
        Reducer reducer = context.getReducer();
        if (options.initializer() != null) {
            try {
                reducer.dumps(options.initializer());
            } catch (ReductionException e) {
                throw new ReductionException("cannot create the pool: its initializer cannot be sent to workers: "
                        + e.getMessage(), e);
            }
        }
        Scheduler scheduler = new Scheduler(options, () -> launchWorker(context, options, reducer), reducer);
        ProcessPool pool = new ProcessPool(context, options, reducer, scheduler);
        if (context != shared) {
            // The pool's own context keeps spares only for this pool: they go when its workers do.
            scheduler.whenAllWorkersGone().thenRun(context::close);
        }
        if (!options.deferStart()) {
            scheduler.start();
        }
        return pool;
    }

    /**
     * Launches the workers of a pool created with {@link PoolOptions#deferStart(boolean)}, in parallel, and returns
     * without waiting for them. Does nothing for a pool whose workers were launched already (every other pool), or
     * one that was closed. A deferred pool that is given a task first starts then.
     *
     * <pre>{@code
     * ProcessPool pool = ctx.pool(PoolOptions.defaults().processes(4).deferStart(true));  // no JVM yet
     * pool.start();                                                                       // four launch now
     * }</pre>
     */
    public void start() {
        scheduler.start();
    }

    /** Whether the workers were launched: always, unless the pool was created with {@code deferStart}. */
    public boolean isStarted() {
        return scheduler.isStarted();
    }

    /**
     * The context whose start method and settings launch the workers: the one the pool was created from, or, when
     * the pool has JVM arguments of its own, a copy of it with them added.
     */
    public BaseContext context() {
        return context;
    }

    /**
     * Makes the pool keep {@code processes} workers from now on (no Python pool offers it). Growing launches the new
     * workers at once; shrinking retires idle workers first, then busy ones once their tasks are done, so no task is
     * lost or cut short. {@link #snapshot()} reports the new count at once; retired workers exit with
     * {@link io.multiprocess.pool.WorkerExitCause#RETIRED} and are not replaced.
     *
     * <pre>{@code
     * try (ProcessPool pool = ctx.pool(2)) {
     *     pool.resize(8);                     // a burst of work is coming
     *     pool.map(this::render, pages);
     *     pool.resize(2);                     // back to the usual
     * }
     * }</pre>
     *
     * @throws IllegalArgumentException if {@code processes} is less than 1
     * @throws IllegalStateException if the pool was closed, terminated or is broken
     */
    public void resize(int processes) {
        scheduler.resize(processes);
    }

    /**
     * Replaces the worker JVM {@code pid} with a fresh one once it has finished the tasks it holds (as
     * {@code maxTasksPerChild} would): for a worker that grew, or one an operator wants renewed. No task is lost or
     * cut short; the worker exits with {@link io.multiprocess.pool.WorkerExitCause#RECYCLED}.
     *
     * <pre>{@code
     * pool.snapshot().workers().stream()
     *         .filter(worker -> worker.heapUsedBytes() > 800L << 20)
     *         .forEach(worker -> pool.recycleWorker(worker.pid()));
     * }</pre>
     *
     * @return false if {@code pid} is not a worker of this pool, or it is already on its way out
     * @throws IllegalStateException if the pool was closed, terminated or is broken
     */
    public boolean recycleWorker(long pid) {
        return scheduler.recycle(pid);
    }

    /**
     * A forkserver spare booted from now on loads and links the class of {@code code} (a lambda's capturing class)
     * before it is ready, so a worker that replaces one, or a new pool's, does not load and verify it on its first
     * task; the rest of the task path the spare has rehearsed (see {@code PoolWorkerProcess.rehearseTask}).
     */
    @Override
    void expectCode(Object code) {
        Class<?> type = code.getClass();
        // A closed pool's call fails a moment later; it must not make its context prepare anything first.
        if (!expectedCode.contains(type) && scheduler.isRunning() && expectedCode.add(type)) {
            context.starter().expect(() -> List.of(Reducers.codeClassName(code)));
        }
    }

    @Override
    TaskRunner.Task submit(TaskGroup group, SerializableFunction<Object, Object> function, List<Object> items,
            Duration timeout, TaskRunner.Completion completion) {
        byte[] payload;
        long start = System.nanoTime();
        try {
            payload = reducer.dumps(PoolWorkerProcess.batch(function, items));
        } catch (ReductionException e) {
            throw new ReductionException("cannot submit the task to the pool: " + e.getMessage(), e);
        }
        group.serialized(System.nanoTime() - start);
        return scheduler.submit(group, payload, items.size(), timeout, completion);
    }

    private static ChildJvm launchWorker(BaseContext context, PoolOptions options, Reducer reducer) {
        String prefix = context.getStartMethod().equals("spawn") ? "SpawnPoolWorker-" : "ForkServerPoolWorker-";
        String name = (options.name() == null ? "" : options.name() + "-") + prefix
                + WORKER_COUNTER.incrementAndGet();
        PoolWorkerProcess worker = PoolWorkerProcess.create(context, name,
                options.initializer(), Reducers.nameOf(reducer));
        worker.start();
        return ((MpProcess) worker).childJvm();
    }
}
