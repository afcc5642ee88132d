package io.multiprocess.pool;

import io.multiprocess.function.SerializableFunction;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Where the tasks of a pool run, for a pool that runs them somewhere else than this library's own workers: the
 * service provider interface behind {@link io.multiprocess.Pool}'s protected constructor. {@code Pool} keeps the
 * whole call API (apply, map, imap, starmap, callbacks, progress); a backend only runs batches.
 *
 * <p>The cluster pool of {@code multiprocess-hazelcast} is one: it sends each batch to a member of the cluster.
 *
 * <pre>{@code
 * final class RemotePool extends Pool {
 *     RemotePool(PoolOptions options, PoolBackend backend) {
 *         super(options, backend);
 *     }
 * }
 * }</pre>
 *
 * <p>Implementations are thread-safe: {@link #submit} is called from any thread.
 */
public interface PoolBackend {

    /**
     * Runs {@code function} on each of {@code items}, in order, and calls {@code completion} exactly once: with
     * one result per item, or with the first failure (a {@link TaskFailedException}, {@link TaskTimeoutException}
     * or {@link WorkerCrashedException}, as a process pool would).
     *
     * @param function what to run on each item
     * @param items the batch, a list of the backend's own (an {@code ArrayList}) that it may keep or change
     * @param timeout the longest the batch may run once started, or {@code null} for no limit
     * @param completion told of the outcome, exactly once, on any thread
     * @return a handle to cancel the batch
     * @throws IllegalStateException when the backend no longer takes work
     */
    Submission submit(SerializableFunction<Object, Object> function, List<Object> items, Duration timeout,
            Completion completion);

    /**
     * How many batches run at once now, for example the workers of all members of a cluster: sizes the default
     * chunks of a map and how far an imap reads ahead.
     */
    int processes();

    /** No new work; what was submitted still runs. */
    void shutdown();

    /** No new work, and what was submitted is failed or stopped at once. */
    void terminate();

    /** Whether {@link #submit} still takes work. */
    boolean isRunning();

    /** Completes when the backend has stopped after {@link #shutdown()} or {@link #terminate()}. */
    CompletableFuture<Void> whenStopped();

    /** A point-in-time view of the backend's workers. */
    PoolSnapshot snapshot();

    /** The backend's counters since it started. */
    PoolTotals totals();

    /** Adds a listener of the backend's events. */
    void addListener(PoolListener listener);

    /** Removes a listener added before; nothing when it was not. */
    void removeListener(PoolListener listener);

    /** Told when a call's progress moved; by default nothing. */
    default void callProgressed(CallProgress progress) {
    }

    /** A submitted batch. */
    interface Submission {

        /**
         * Cancels the batch: a batch not started never runs; a running one is stopped when {@code stopRunning}.
         *
         * @return whether the batch was cancelled before it completed
         */
        boolean cancel(boolean stopRunning);
    }

    /** The outcome of a batch, told exactly once. */
    interface Completion {

        /** The batch succeeded: one result per item, in the order of the items. */
        void succeeded(List<Object> results);

        /** The batch failed. */
        void failed(RuntimeException error);
    }
}
