package io.multiprocess;

import io.multiprocess.errors.MultiprocessException;
import io.multiprocess.internal.MpLogger;
import io.multiprocess.internal.pool.TaskGroup;
import io.multiprocess.internal.pool.TaskRunner;
import io.multiprocess.pool.CallProgress;
import io.multiprocess.pool.TaskFailedException;
import io.multiprocess.pool.TaskTimeoutException;
import io.multiprocess.pool.WorkerCrashedException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The result of work submitted to a pool (Python's {@code AsyncResult}); also a {@link Future} and convertible to
 * a {@link CompletableFuture}.
 *
 * <pre>{@code
 * AsyncResult<Long> r = pool.applyAsync(() -> countPrimes(10_000_000));
 * r.waitFor(Duration.ofSeconds(1));
 * if (r.ready() && r.successful()) {
 *     long n = r.get();
 * }
 * pool.applyAsync(() -> slow()).toCompletableFuture().thenAccept(System.out::println);
 * }</pre>
 *
 * <p>{@link #get()} throws unchecked exceptions, as Python's does: {@link TaskFailedException} (the task threw;
 * the cause is its exception with the worker's stack trace), {@link WorkerCrashedException},
 * {@link TaskTimeoutException}, {@link CancellationException}. The {@link Future#get(long, TimeUnit)} form keeps
 * {@code Future}'s contract and wraps them in an {@link ExecutionException}.
 *
 * <p><b>Callbacks first.</b> A callback or error callback given when the work was submitted has run, and returned,
 * before the result is ready: once {@link #get()}, {@link #waitFor}, {@link #ready()} or {@link #isDone()} see the
 * result, whatever the callback did is visible to the caller, as in Python. Callbacks run on a pool thread (a
 * worker's reader thread, or the pool thread that ran the task), so a slow callback delays that thread's next
 * result; keep them short or hand the work on.
 *
 * <pre>{@code
 * AtomicBoolean saved = new AtomicBoolean();
 * AsyncResult<Report> r = pool.applyAsync(() -> build(), report -> { store(report); saved.set(true); }, null);
 * r.get();
 * assert saved.get();   // the callback has run
 * }</pre>
 *
 * <p>A callback that throws does not hang the result nor lose it: its exception (or error) is logged at ERROR on
 * the {@code io.multiprocess} logger and the result completes as it would have, with the value or the task's own
 * failure. (In Python an exception in a callback kills the pool's result-handler thread and every later result
 * hangs.)
 *
 * @param <T> the result type
 */
public final class AsyncResult<T> implements Future<T> {

    private final CompletableFuture<T> future = new CompletableFuture<>();
    private final List<TaskRunner.Task> tasks;
    private final TaskRunner runner;
    private final Consumer<? super T> callback;
    private final Consumer<? super RuntimeException> errorCallback;
    /** Won by the one outcome that runs the callbacks and completes the future: a result, a failure or cancel. */
    private final AtomicBoolean settling = new AtomicBoolean();
    private final TaskGroup call;

    /**
     * @param callback given the result before it is ready, or null
     * @param errorCallback given the failure before it is ready, or null
     */
    AsyncResult(TaskRunner runner, TaskGroup call, List<TaskRunner.Task> tasks, Consumer<? super T> callback,
            Consumer<? super RuntimeException> errorCallback) {
        this.runner = runner;
        this.call = call;
        this.tasks = tasks;
        this.callback = callback;
        this.errorCallback = errorCallback;
    }

    /** Waits for the result. */
    @Override
    public T get() {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MultiprocessException("interrupted while waiting for a result", e);
        } catch (ExecutionException e) {
            throw unwrap(e.getCause());
        }
    }

    /**
     * Waits at most {@code timeout} for the result.
     *
     * @throws ResultTimeoutException if it is not ready by then; the work goes on
     */
    public T get(Duration timeout) {
        try {
            return future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new ResultTimeoutException("the result was not ready within " + timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MultiprocessException("interrupted while waiting for a result", e);
        } catch (ExecutionException e) {
            throw unwrap(e.getCause());
        }
    }

    @Override
    public T get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
        return future.get(timeout, unit);
    }

    /** Waits at most {@code timeout} until the result is ready; returns whether it is. */
    public boolean waitFor(Duration timeout) {
        return Waiting.completesWithin(future, timeout);
    }

    /** Whether the work has finished, one way or another. */
    public boolean ready() {
        return future.isDone();
    }

    /**
     * Whether the work finished without an exception.
     *
     * @throws IllegalStateException if it is not ready yet
     */
    public boolean successful() {
        if (!future.isDone()) {
            throw new IllegalStateException("the result is not ready yet; check ready() or wait first");
        }
        return !future.isCompletedExceptionally();
    }

    @Override
    public boolean isDone() {
        return future.isDone();
    }

    @Override
    public boolean isCancelled() {
        return future.isCancelled();
    }

    /**
     * Cancels the work: queued tasks are dropped; with {@code mayInterruptIfRunning}, the workers running its
     * tasks are killed and replaced (a JVM cannot interrupt code in another process any other way).
     */
    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        boolean cancelled = false;
        for (TaskRunner.Task task : tasks) {
            cancelled |= runner.cancel(task, mayInterruptIfRunning);
        }
        if (cancelled && settling.compareAndSet(false, true)) {
            // Cancelling a task usually fails it at once, and that already settled this result; this covers a
            // call whose other tasks are still running.
            runCallback(errorCallback, new CancellationException("the work was cancelled"));
            future.cancel(false);
        }
        return cancelled;
    }

    /** How far the call has got: items done, failed and in all, the rate, the time left. */
    public CallProgress progress() {
        return call.progress();
    }

    /**
     * Tells {@code watcher} the progress now, then each time a task of the call ends (a chunk of a map), before the
     * result is ready; on a pool thread, so it must return quickly. An exception it throws is logged.
     *
     * <pre>{@code
     * pool.mapAsync(this::render, pages).onProgress(p -> bar.set(p.done(), p.total())).get();
     * }</pre>
     *
     * @return this result
     */
    public AsyncResult<T> onProgress(Consumer<? super CallProgress> watcher) {
        call.watch(Objects.requireNonNull(watcher, "watcher"));
        return this;
    }

    /** A CompletableFuture that completes with this result; completing it does not affect the pool. */
    public CompletableFuture<T> toCompletableFuture() {
        return future.copy();
    }

    /** Runs the callback, then makes the value the result; ignored if the result is already settled. */
    void succeed(T value) {
        if (settling.compareAndSet(false, true)) {
            runCallback(callback, value);
            future.complete(value);
        }
    }

    /** Runs the error callback, then makes {@code error} the result; ignored if the result is already settled. */
    void fail(RuntimeException error) {
        if (settling.compareAndSet(false, true)) {
            runCallback(errorCallback, error);
            future.completeExceptionally(error);
        }
    }

    /** A callback that throws must neither keep the result from completing nor kill the pool thread. */
    private static <V> void runCallback(Consumer<? super V> consumer, V value) {
        if (consumer == null) {
            return;
        }
        try {
            consumer.accept(value);
        } catch (Throwable e) {
            MpLogger.INSTANCE.error("a pool callback threw {}; the result completes regardless (fix the callback: "
                    + "its exception goes nowhere else)", e.toString(), e);
        }
    }

    private static RuntimeException unwrap(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        return cause instanceof RuntimeException runtime ? runtime : new MultiprocessException(cause.toString(), cause);
    }
}
