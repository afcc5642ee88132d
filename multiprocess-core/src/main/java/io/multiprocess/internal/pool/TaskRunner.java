package io.multiprocess.internal.pool;

import io.multiprocess.pool.PoolListener;
import io.multiprocess.pool.PoolSnapshot;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * What runs a pool's tasks: worker JVMs ({@link Scheduler}) or threads ({@link ThreadRunner}). The pool API in
 * {@link io.multiprocess.Pool} is written once against this.
 */
public interface TaskRunner {

    /** A submitted task, to cancel it. */
    interface Task {
    }

    /** Told once when a task ends. */
    interface Completion {
        void succeeded(List<Object> results);

        void failed(RuntimeException error);
    }

    /**
     * Cancels a task: a queued one is dropped; a running one only if {@code stopRunning} (a worker JVM is killed,
     * a thread is interrupted).
     *
     * @return whether the task was cancelled
     */
    boolean cancel(Task task, boolean stopRunning);

    /** Takes no new work; workers stop once the queued and running tasks are done. */
    void close();

    /** Takes no new work, cancels what is queued or running, and stops all workers. */
    void terminate();

    /** Whether new work is accepted. */
    boolean isRunning();

    /** Completes when the runner was closed or terminated and every worker has stopped. */
    CompletableFuture<Void> whenAllWorkersGone();

    PoolSnapshot snapshot();

    /** Tells the listeners how far a call has got (see {@link PoolListener#callProgressed}). */
    void callProgressed(io.multiprocess.pool.CallProgress progress);

    /** What the runner has done since it was created. */
    io.multiprocess.pool.PoolTotals totals();

    void addListener(PoolListener listener);

    void removeListener(PoolListener listener);

    /** The text of the error for work submitted to a runner that no longer takes it. */
    static IllegalStateException notRunning(String state, String reason) {
        return new IllegalStateException("Pool not running: " + (reason != null ? reason
                : "it was " + state.toLowerCase() + "; create a new pool to submit more work"));
    }
}
