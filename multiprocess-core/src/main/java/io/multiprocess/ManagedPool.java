package io.multiprocess;

import io.multiprocess.function.SerializableCallable;
import io.multiprocess.function.SerializableFunction;
import io.multiprocess.managers.PoolProxy;
import java.util.List;

/** A process pool that a manager serves (Python's {@code manager.Pool(n)}): the server calls it for its clients. */
final class ManagedPool implements PoolProxy {

    private final ProcessPool pool;
    private final int processes;

    ManagedPool(ProcessPool pool, int processes) {
        this.pool = pool;
        this.processes = processes;
    }

    @Override
    public <R> R apply(SerializableCallable<R> task) {
        return pool.apply(task);
    }

    @Override
    public <T, R> List<R> map(SerializableFunction<? super T, ? extends R> function, List<? extends T> items) {
        return pool.map(function, items);
    }

    @Override
    public int processes() {
        return processes;
    }

    @Override
    public void terminate() {
        pool.terminate();
    }

    @Override
    public String toString() {
        return "Pool(" + processes + " processes)";
    }
}
