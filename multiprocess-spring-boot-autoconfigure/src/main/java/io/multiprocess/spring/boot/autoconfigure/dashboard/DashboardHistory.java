package io.multiprocess.spring.boot.autoconfigure.dashboard;

import io.multiprocess.ProcessPool;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * The {@link PoolHistory} of every {@link ProcessPool} bean, by bean name. Each pool gets its history as a listener
 * once every singleton exists, before the pools' workers start with the application, so the charts count from the
 * first task. A pool met later (a lazy bean) gets one when the dashboard first reads it.
 */
public class DashboardHistory implements SmartInitializingSingleton {

    private final ListableBeanFactory beans;
    private final Duration history;
    private final LongSupplier clockMillis;
    private final Map<String, PoolHistory> pools = new ConcurrentHashMap<>();

    /**
     * @param beans where the pools are found
     * @param history how far back each pool's history goes
     */
    public DashboardHistory(ListableBeanFactory beans, Duration history) {
        this(beans, history, System::currentTimeMillis);
    }

    DashboardHistory(ListableBeanFactory beans, Duration history, LongSupplier clockMillis) {
        if (history == null || history.isNegative() || history.isZero()) {
            throw new IllegalArgumentException("history must be positive, not " + history);
        }
        this.beans = beans;
        this.history = history;
        this.clockMillis = clockMillis;
    }

    @Override
    public void afterSingletonsInstantiated() {
        beans.getBeansOfType(ProcessPool.class).forEach(this::forPool);
    }

    /** The history of the pool bean {@code name}, made and attached to {@code pool} the first time it is asked for. */
    public PoolHistory forPool(String name, ProcessPool pool) {
        return pools.computeIfAbsent(name, key -> {
            PoolHistory fresh = new PoolHistory(history, clockMillis);
            pool.addListener(fresh);
            return fresh;
        });
    }

    /** How far back the histories go: at least the configured history, in whole intervals. */
    public Duration span() {
        return PoolHistory.spanFor(history);
    }

    /** The length of the histories' intervals. */
    public Duration interval() {
        return PoolHistory.intervalFor(history);
    }

    /** The time the histories go by, in epoch milliseconds. */
    long now() {
        return clockMillis.getAsLong();
    }
}
