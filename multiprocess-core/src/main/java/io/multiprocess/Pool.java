package io.multiprocess;

import io.multiprocess.function.SerializableBiFunction;
import io.multiprocess.function.SerializableCallable;
import io.multiprocess.function.SerializableFunction;
import io.multiprocess.internal.pool.Scheduler;
import io.multiprocess.internal.pool.TaskGroup;
import io.multiprocess.internal.pool.TaskRunner;
import io.multiprocess.pool.CallProgress;
import io.multiprocess.pool.PoolBackend;
import io.multiprocess.pool.TaskTracer;
import io.multiprocess.pool.PoolListener;
import io.multiprocess.pool.PoolOptions;
import io.multiprocess.pool.PoolSnapshot;
import io.multiprocess.reduction.ReductionException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Python's {@code Pool} API, written once for both kinds of pool: {@link ProcessPool} (worker JVMs) and
 * {@link ThreadPool} (threads of this JVM). See {@link ProcessPool} for the examples and the failure semantics.
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
 * <p>{@link #close()} waits for the work (unlike Python's context manager, which terminates); use
 * {@link #terminate()} to stop at once. Thread-safe.
 */
public abstract class Pool implements AutoCloseable {

    private final PoolOptions options;
    private final TaskRunner runner;
    /**
     * The calls not finished yet, for {@link #runningCalls()}. Weakly held: an {@code imap} whose iterator was
     * dropped before its end, with no task in flight, is nobody's call any more and goes with its iterator.
     */
    private final Map<TaskGroup, Boolean> calls = Collections.synchronizedMap(new WeakHashMap<>());

    Pool(PoolOptions options, TaskRunner runner) {
        this.options = Objects.requireNonNull(options, "options");
        this.runner = runner;
    }

    /**
     * A pool whose batches run in {@code backend}; for pools that run tasks elsewhere than this library's workers.
     *
     * @param options the pool's options: {@link PoolOptions#processes()} sizes the default chunks and the window
     *     of {@code imap}, {@link PoolOptions#taskTimeout()} is the default timeout of a task
     * @param backend runs the batches
     */
    protected Pool(PoolOptions options, PoolBackend backend) {
        this(options, new BackendRunner(backend));
    }

    /**
     * Queues {@code function} over {@code items} as one task. Overridden by the pools of this package; a pool over
     * a {@link PoolBackend} hands the batch to it.
     *
     * @throws ReductionException if the function or an item cannot be sent to a worker
     */
    TaskRunner.Task submit(TaskGroup group, SerializableFunction<Object, Object> function,
            List<Object> items, Duration timeout, TaskRunner.Completion completion) {
        return ((BackendRunner) runner).submit(function, items, timeout, completion);
    }

    /** Runs {@code task} in a worker and returns its result (Python's {@code apply}). */
    public <R> R apply(SerializableCallable<R> task) {
        return applyAsync(task).get();
    }

    /** Runs {@code task} in a worker; the result comes later. */
    public <R> AsyncResult<R> applyAsync(SerializableCallable<R> task) {
        return applyAsync(task, options.taskTimeout(), null, null);
    }

    /** As {@link #applyAsync(SerializableCallable)}, killing the worker if the task runs longer than {@code timeout}. */
    public <R> AsyncResult<R> applyAsync(SerializableCallable<R> task, Duration timeout) {
        return applyAsync(task, timeout, null, null);
    }

    /** As {@link #applyAsync(SerializableCallable)}, calling {@code callback} or {@code errorCallback} once. */
    public <R> AsyncResult<R> applyAsync(SerializableCallable<R> task, Consumer<? super R> callback,
            Consumer<? super RuntimeException> errorCallback) {
        return applyAsync(task, options.taskTimeout(), callback, errorCallback);
    }

    /**
     * Runs {@code task} in a worker.
     *
     * @param timeout how long it may run before its worker is killed, or null for none
     * @param callback given the result, once, on a pool thread, before the result is ready; may be null
     * @param errorCallback given the failure, once, on a pool thread, before the result is ready; may be null
     */
    @SuppressWarnings("unchecked")
    public <R> AsyncResult<R> applyAsync(SerializableCallable<R> task, Duration timeout, Consumer<? super R> callback,
            Consumer<? super RuntimeException> errorCallback) {
        Objects.requireNonNull(task, "task");
        expectCode(task);
        SerializableFunction<Object, Object> call = calling(task);
        List<TaskRunner.Task> tasks = new ArrayList<>(1);
        TaskGroup group = newCall("apply", 1);
        AsyncResult<R> result = new AsyncResult<>(runner, group, tasks, callback, errorCallback);
        tasks.add(submitTracked(group, call, Arrays.asList((Object) null), timeout, new TaskRunner.Completion() {
            @Override
            public void succeeded(List<Object> results) {
                result.succeed((R) results.get(0));
            }

            @Override
            public void failed(RuntimeException error) {
                result.fail(error);
            }
        }));
        return result;
    }

    /** Applies {@code function} to every item in workers, in chunks of Python's default size; keeps order. */
    public <T, R> List<R> map(SerializableFunction<? super T, ? extends R> function, Iterable<? extends T> items) {
        return this.<T, R>mapAsync(function, items).get();
    }

    /** As {@link #map(SerializableFunction, Iterable)}, with {@code chunksize} items per task. */
    public <T, R> List<R> map(SerializableFunction<? super T, ? extends R> function, Iterable<? extends T> items,
            int chunksize) {
        return this.<T, R>mapAsync(function, items, chunksize, options.taskTimeout(), null, null).get();
    }

    public <T, R> AsyncResult<List<R>> mapAsync(SerializableFunction<? super T, ? extends R> function,
            Iterable<? extends T> items) {
        return mapAsync(function, items, 0, options.taskTimeout(), null, null);
    }

    /**
     * Applies {@code function} to every item in workers. The result lists the results in the items' order; if any
     * chunk fails, it fails with the first failure once every chunk has finished.
     *
     * @param chunksize items per task, or 0 for Python's default ({@code len / (4 * processes)}, rounded up)
     * @param timeout how long one chunk may run, or null for none
     * @param callback given the whole list, once, before the result is ready; may be null
     * @param errorCallback given the first failure, once, before the result is ready; may be null
     */
    @SuppressWarnings("unchecked")
    public <T, R> AsyncResult<List<R>> mapAsync(SerializableFunction<? super T, ? extends R> function,
            Iterable<? extends T> items, int chunksize, Duration timeout, Consumer<? super List<R>> callback,
            Consumer<? super RuntimeException> errorCallback) {
        Objects.requireNonNull(function, "function");
        expectCode(function);
        return (AsyncResult<List<R>>) (AsyncResult<?>) submitAll("map", (SerializableFunction<Object, Object>) function,
                materialize(items), chunksize, timeout, (Consumer<? super List<Object>>) (Consumer<?>) callback,
                errorCallback);
    }

    /** Applies a two-argument {@code function} to each pair (Python's {@code starmap}); keeps order. */
    public <A, B, R> List<R> starmap(SerializableBiFunction<? super A, ? super B, ? extends R> function,
            Iterable<? extends Map.Entry<? extends A, ? extends B>> pairs) {
        return this.<A, B, R>starmapAsync(function, pairs, 0, null, null).get();
    }

    /** As {@link #starmap(SerializableBiFunction, Iterable)}, asynchronously; see {@link #mapAsync}. */
    @SuppressWarnings("unchecked")
    public <A, B, R> AsyncResult<List<R>> starmapAsync(
            SerializableBiFunction<? super A, ? super B, ? extends R> function,
            Iterable<? extends Map.Entry<? extends A, ? extends B>> pairs, int chunksize,
            Consumer<? super List<R>> callback, Consumer<? super RuntimeException> errorCallback) {
        Objects.requireNonNull(function, "function");
        expectCode(function);
        List<Object> arguments = new ArrayList<>();
        for (Map.Entry<? extends A, ? extends B> pair : pairs) {
            arguments.add(new Arguments(new Object[] {pair.getKey(), pair.getValue()}));
        }
        SerializableFunction<Object, Object> spread = args -> {
            Object[] values = ((Arguments) args).values();
            return function.apply((A) values[0], (B) values[1]);
        };
        return (AsyncResult<List<R>>) (AsyncResult<?>) submitAll("starmap", spread, arguments, chunksize,
                options.taskTimeout(), (Consumer<? super List<Object>>) (Consumer<?>) callback, errorCallback);
    }

    /**
     * Applies a function of any number of arguments to each argument array (Python's {@code starmap} over
     * tuples): {@code pool.starmapArgs(args -> (int) args[0] + (int) args[1] + (int) args[2], rows)}.
     */
    @SuppressWarnings("unchecked")
    public <R> List<R> starmapArgs(SerializableFunction<Object[], ? extends R> function, Iterable<Object[]> rows) {
        Objects.requireNonNull(function, "function");
        expectCode(function);
        List<Object> arguments = new ArrayList<>();
        for (Object[] row : rows) {
            arguments.add(new Arguments(row.clone()));
        }
        SerializableFunction<Object, Object> spread = args -> function.apply(((Arguments) args).values());
        return (List<R>) submitAll("starmap", spread, arguments, 0, options.taskTimeout(), null, null).get();
    }

    /** Results of {@code function} over {@code items} in order, computed lazily one item per task (Python's default). */
    public <T, R> ResultIterator<R> imap(SerializableFunction<? super T, ? extends R> function,
            Iterable<? extends T> items) {
        return imap(function, items, 1);
    }

    /** Results of {@code function} over {@code items} in order, read and computed lazily in chunks. */
    public <T, R> ResultIterator<R> imap(SerializableFunction<? super T, ? extends R> function,
            Iterable<? extends T> items, int chunksize) {
        return iterate(function, items, chunksize, true);
    }

    /** As {@link #imap(SerializableFunction, Iterable)}, but results come as they finish. */
    public <T, R> ResultIterator<R> imapUnordered(SerializableFunction<? super T, ? extends R> function,
            Iterable<? extends T> items) {
        return imapUnordered(function, items, 1);
    }

    /** As {@link #imap(SerializableFunction, Iterable, int)}, but results come as they finish. */
    public <T, R> ResultIterator<R> imapUnordered(SerializableFunction<? super T, ? extends R> function,
            Iterable<? extends T> items, int chunksize) {
        return iterate(function, items, chunksize, false);
    }

    /** Takes no new work; the workers stop once the queued and running work is done. Returns at once. */
    public void shutdown() {
        runner.close();
    }

    /**
     * Takes no new work, waits until the queued and running work is done, then stops the workers; the
     * try-with-resources form. Python's {@code close()} returns at once: that is {@link #shutdown()}.
     */
    @Override
    public void close() {
        runner.close();
        join();
    }

    /**
     * Stops at once: queued and running work fails with a {@link java.util.concurrent.CancellationException} and
     * every worker is stopped (SIGTERM, then SIGKILL after a second).
     */
    public void terminate() {
        runner.terminate();
    }

    /**
     * Waits until every worker has exited.
     *
     * @throws IllegalStateException if the pool still takes work: call {@link #shutdown()}, {@link #close()} or
     *     {@link #terminate()} first
     */
    public void join() {
        ensureStopping();
        runner.whenAllWorkersGone().join();
    }

    /** As {@link #join()}, waiting at most {@code timeout}; returns whether every worker has exited. */
    public boolean join(Duration timeout) {
        ensureStopping();
        return Waiting.completesWithin(runner.whenAllWorkersGone(), timeout);
    }

    /** The workers (pid, state, tasks done, uptime) and the queued and running tasks, now. */
    public PoolSnapshot snapshot() {
        return runner.snapshot();
    }

    /**
     * What the pool has done since it was created: workers started and exited, tasks by outcome and their time.
     * Listeners hear each event; this counts them all, also those before any listener was added.
     */
    public io.multiprocess.pool.PoolTotals totals() {
        return runner.totals();
    }

    public void addListener(PoolListener listener) {
        runner.addListener(Objects.requireNonNull(listener, "listener"));
    }

    public void removeListener(PoolListener listener) {
        runner.removeListener(listener);
    }

    public PoolOptions options() {
        return options;
    }

    /** Python's default chunk size: {@code len / (processes * 4)}, plus one if there is a remainder. */
    /** How many tasks run at once now: sizes the default chunks of a map and the window of an imap. */
    private int processesNow() {
        return runner instanceof BackendRunner backend ? Math.max(1, backend.processes()) : options.processes();
    }

    static int defaultChunksize(int items, int processes) {
        int chunksize = items / (processes * 4);
        return items % (processes * 4) != 0 ? chunksize + 1 : chunksize;
    }

    /**
     * What calls are running now, oldest first: their kind and how far each has got. For dashboards and the Spring
     * Boot endpoint; an {@code apply} is a call of one item.
     */
    public List<CallProgress> runningCalls() {
        List<TaskGroup> running;
        synchronized (calls) {
            running = new ArrayList<>(calls.keySet());
        }
        return running.stream().map(TaskGroup::progress).filter(progress -> !progress.finished())
                .sorted(java.util.Comparator.comparingLong(CallProgress::callId)).toList();
    }

    /** The tracing of a call that starts now, on its caller's thread; null when the pool traces nothing. */
    TaskTracer.Call traceCall(String kind) {
        return null;
    }

    private TaskGroup newCall(String kind, long total) {
        TaskGroup group = new TaskGroup(kind, total, traceCall(kind));
        if (!group.finished()) {
            calls.put(group, Boolean.TRUE);
        }
        return group;
    }

    /** The function a worker applies, to a null item, to run {@code task}. */
    static SerializableFunction<Object, Object> calling(SerializableCallable<?> task) {
        return ignored -> task.call();
    }

    /**
     * Hears the caller's code of a call (the task or function, before the pool wraps it), so a backend can prepare
     * for it: a process pool has the JVMs it boots from now on load its classes ahead. Runs on every call, so an
     * override keeps it to a lookup for code it has heard before.
     */
    void expectCode(Object code) {
    }

    /** Submits a task whose end counts towards its call's progress, heard before the task's own completion. */
    private TaskRunner.Task submitTracked(TaskGroup group, SerializableFunction<Object, Object> function,
            List<Object> items, Duration timeout, TaskRunner.Completion completion) {
        int size = items.size();
        try {
            return submit(group, function, items, timeout, tracking(group, size, completion));
        } catch (RuntimeException | Error e) {
            // The call fails at its caller, who gets no result to follow: it is no running call.
            calls.remove(group);
            throw e;
        }
    }

    private TaskRunner.Completion tracking(TaskGroup group, int size, TaskRunner.Completion completion) {
        return new TaskRunner.Completion() {
            @Override
            public void succeeded(List<Object> results) {
                progressed(group, group.tasksEnded(size, true));
                completion.succeeded(results);
            }

            @Override
            public void failed(RuntimeException error) {
                progressed(group, group.tasksEnded(size, false));
                completion.failed(error);
            }
        };
    }

    private void progressed(TaskGroup group, CallProgress progress) {
        if (progress.finished()) {
            calls.remove(group);
        }
        runner.callProgressed(progress);
        group.tell(progress);
    }

    private AsyncResult<List<Object>> submitAll(String kind, SerializableFunction<Object, Object> function,
            List<Object> items, int chunksize, Duration timeout, Consumer<? super List<Object>> callback,
            Consumer<? super RuntimeException> errorCallback) {
        if (chunksize < 0) {
            throw new IllegalArgumentException("chunksize must be positive, or 0 for the default; got " + chunksize);
        }
        int size = chunksize == 0 ? Math.max(1, defaultChunksize(items.size(), processesNow())) : chunksize;
        // Views, not copies: every caller hands over a list of the pool's own, which nothing changes.
        List<List<Object>> chunkItems = new ArrayList<>();
        for (int from = 0; from < items.size(); from += size) {
            chunkItems.add(items.subList(from, Math.min(items.size(), from + size)));
        }
        List<TaskRunner.Task> tasks = new ArrayList<>(chunkItems.size());
        TaskGroup group = newCall(kind, items.size());
        AsyncResult<List<Object>> result = new AsyncResult<>(runner, group, tasks, callback, errorCallback);
        if (chunkItems.isEmpty()) {
            result.succeed(List.of());
            return result;
        }
        // Each chunk's results go straight to their place, as the chunk completes.
        Object[] all = new Object[items.size()];
        AtomicInteger remaining = new AtomicInteger(chunkItems.size());
        AtomicReference<RuntimeException> firstFailure = new AtomicReference<>();
        for (int i = 0; i < chunkItems.size(); i++) {
            int offset = i * size;
            int expected = chunkItems.get(i).size();
            tasks.add(submitTracked(group, function, chunkItems.get(i), timeout, new TaskRunner.Completion() {
                @Override
                public void succeeded(List<Object> results) {
                    if (results.size() != expected) {
                        failed(new IllegalStateException("a worker returned " + results.size() + " results for a "
                                + "chunk of " + expected + " items"));
                        return;
                    }
                    for (int k = 0; k < expected; k++) {
                        all[offset + k] = results.get(k);
                    }
                    chunkDone();
                }

                @Override
                public void failed(RuntimeException error) {
                    firstFailure.compareAndSet(null, error);
                    chunkDone();
                }

                private void chunkDone() {
                    if (remaining.decrementAndGet() > 0) {
                        return;
                    }
                    if (firstFailure.get() != null) {
                        result.fail(firstFailure.get());
                        return;
                    }
                    // The completions' writes happen before the last decrement, which this thread saw.
                    List<Object> results = new ArrayList<>(all.length);
                    Collections.addAll(results, all);
                    result.succeed(results);
                }
            }));
        }
        return result;
    }

    @SuppressWarnings("unchecked")
    private <T, R> ResultIterator<R> iterate(SerializableFunction<? super T, ? extends R> function,
            Iterable<? extends T> items, int chunksize, boolean ordered) {
        Objects.requireNonNull(function, "function");
        expectCode(function);
        if (chunksize < 1) {
            throw new IllegalArgumentException("chunksize must be at least 1, got " + chunksize);
        }
        SerializableFunction<Object, Object> erased = (SerializableFunction<Object, Object>) function;
        TaskGroup group = newCall(ordered ? "imap" : "imap_unordered", -1);
        // Enough chunks in the pool for every worker to run one and hold its share ahead (see Scheduler).
        int window = processesNow() * (Scheduler.PREFETCH + 2);
        return new ResultIterator<>(items.iterator(), chunksize, window, ordered, group,
                (chunk, completion) -> submitTracked(group, erased, chunk, options.taskTimeout(), completion),
                total -> progressed(group, group.totalKnown(total)));
    }

    /** The items as a list of the pool's own, which the caller's later changes do not reach. */
    private static List<Object> materialize(Iterable<?> items) {
        if (items instanceof Collection<?> collection) {
            // One copy of the right size, not a list grown step by step (a map of 200,000 items allocated 1.9 MB
            // of discarded arrays). Only read, never written.
            return Arrays.asList(collection.toArray());
        }
        List<Object> list = new ArrayList<>();
        for (Object item : items) {
            list.add(item);
        }
        return list;
    }

    private void ensureStopping() {
        if (runner.isRunning()) {
            throw new IllegalStateException("the pool still takes work; call shutdown(), close() or terminate() "
                    + "before join()");
        }
    }

    /** The arguments of one starmap call, as they travel to a worker. */
    record Arguments(Object[] values) implements java.io.Serializable {
    }
}
