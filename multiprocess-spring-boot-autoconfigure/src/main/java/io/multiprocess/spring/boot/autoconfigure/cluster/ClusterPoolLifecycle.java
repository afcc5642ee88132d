package io.multiprocess.spring.boot.autoconfigure.cluster;

import io.multiprocess.hazelcast.ClusterPool;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Stops this instance's part of the cluster pool when the application stops, before its local pools stop: the
 * other instances send it nothing new from that moment, its calls in flight get the grace period to finish (here or
 * on other instances), then what is left is failed. Without it, the local pool would stop first and the instance
 * would still be chosen for a while.
 */
class ClusterPoolLifecycle implements SmartLifecycle {

    /** One above the process pools' phase ({@code DEFAULT_PHASE - 4096}): higher phases stop first. */
    static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096 + 1;

    private static final Logger LOG = LoggerFactory.getLogger(ClusterPoolLifecycle.class);

    private final ClusterPool pool;
    private final Duration gracePeriod;
    private volatile boolean running;

    ClusterPoolLifecycle(ClusterPool pool, Duration gracePeriod) {
        this.pool = pool;
        this.gracePeriod = gracePeriod;
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        LOG.info("cluster pool '{}': this instance takes no more tasks of the others; its calls in flight have {} to "
                + "finish", pool.name(), gracePeriod);
        pool.shutdown();
        if (!pool.join(gracePeriod)) {
            LOG.info("cluster pool '{}': calls still in flight after {}; failing them", pool.name(), gracePeriod);
            pool.terminate();
        }
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public boolean isPauseable() {
        return false;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
