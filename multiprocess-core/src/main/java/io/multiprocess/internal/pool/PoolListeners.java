package io.multiprocess.internal.pool;

import io.multiprocess.internal.MpLogger;
import io.multiprocess.pool.PoolListener;
import io.multiprocess.pool.PoolTotals;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The listeners of one pool, the first of them its {@link PoolCounters}; an exception from one is logged and does
 * not stop the others or the pool.
 */
final class PoolListeners {

    private final PoolCounters counters = new PoolCounters();
    private final List<PoolListener> listeners = new CopyOnWriteArrayList<>(List.of(counters));

    /** What the pool's listeners have heard since it was created. */
    PoolTotals totals() {
        return counters.totals();
    }

    /** See {@link PoolCounters#workerSpent}. */
    void workerSpent(long starting, long waiting, long working, long serializing, long deserializing) {
        counters.workerSpent(starting, waiting, working, serializing, deserializing);
    }

    void add(PoolListener listener) {
        listeners.add(listener);
    }

    void remove(PoolListener listener) {
        listeners.remove(listener);
    }

    void fire(Consumer<PoolListener> event) {
        for (PoolListener listener : listeners) {
            try {
                event.accept(listener);
            } catch (Throwable e) {
                MpLogger.INSTANCE.warn("a pool listener failed", e);
            }
        }
    }
}
