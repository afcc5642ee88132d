package io.multiprocess.managers;

import io.multiprocess.function.SerializableCallable;
import io.multiprocess.function.SerializableFunction;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A process pool living in a manager's server process (Python's {@code manager.Pool(processes)}): its workers are
 * children of the server, and every process holding this proxy (a child, a process on another machine) can hand
 * it work; results come back through the proxy. Tasks and their results travel twice (here to the server, the
 * server to a worker), so they must be reducible: serializable lambdas, as for {@code ctx.pool()}.
 *
 * <p>A task that throws makes {@link #apply} and {@link #map} throw the pool's
 * {@link io.multiprocess.pool.TaskFailedException}, with its message (which names the task's exception and its
 * message); its cause is a {@link RemoteException} holding the server's stack trace, which includes the task's
 * trace in the worker. The task's exception itself is not rebuilt here. The pool ends with the manager (its workers are terminated), or
 * sooner with {@link #terminate()}.
 */
public interface PoolProxy {

    /** Runs {@code task} in a worker and returns its result (Python's {@code pool.apply}). */
    <R> R apply(SerializableCallable<R> task);

    /** {@code function} applied to each item in the workers, results in item order (Python's {@code pool.map}). */
    <T, R> List<R> map(SerializableFunction<? super T, ? extends R> function, List<? extends T> items);

    /**
     * As {@link #apply}, without waiting (Python's {@code pool.apply_async}): the call waits for the result on a
     * thread of this process, and the future completes with it or with the call's exception.
     */
    default <R> CompletableFuture<R> applyAsync(SerializableCallable<R> task) {
        return ManagerAsync.supply(() -> apply(task), "applyAsync");
    }

    /** As {@link #map}, without waiting (Python's {@code pool.map_async}); see {@link #applyAsync}. */
    default <T, R> CompletableFuture<List<R>> mapAsync(SerializableFunction<? super T, ? extends R> function,
            List<? extends T> items) {
        return ManagerAsync.supply(() -> map(function, items), "mapAsync");
    }

    /** The number of worker processes. */
    int processes();

    /** Stops the workers now, failing tasks not done (Python's {@code pool.terminate}); later calls fail. */
    void terminate();
}
