package io.multiprocess;

import io.multiprocess.pool.TaskRunner;
import io.multiprocess.pool.TaskFailedException;
import io.multiprocess.pool.TaskTimeoutException;
import io.multiprocess.pool.WorkerCrashedException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
 * @param <T> the result type
 */
public final class AsyncResult<T> implements Future<T> {

    private final CompletableFuture<T> future = new CompletableFuture<>();
    private final List<TaskRunner.Task> tasks;
    private final TaskRunner runner;

    AsyncResult(TaskRunner runner, List<TaskRunner.Task> tasks) {
        this.runner = runner;
        this.tasks = tasks;
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
        if (cancelled) {
            future.cancel(false);
        }
        return cancelled;
    }

    /** A CompletableFuture that completes with this result; completing it does not affect the pool. */
    public CompletableFuture<T> toCompletableFuture() {
        return future.copy();
    }

    CompletableFuture<T> future() {
        return future;
    }

    /** Calls the Python-style callbacks once, on the thread that completes the work. */
    AsyncResult<T> withCallbacks(Consumer<? super T> callback, Consumer<? super RuntimeException> errorCallback) {
        if (callback != null || errorCallback != null) {
            future.whenComplete((value, error) -> {
                if (error == null) {
                    if (callback != null) {
                        callback.accept(value);
                    }
                } else if (errorCallback != null) {
                    errorCallback.accept(unwrap(error));
                }
            });
        }
        return this;
    }

    private static RuntimeException unwrap(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        return cause instanceof RuntimeException runtime ? runtime : new MultiprocessException(cause.toString(), cause);
    }
}
