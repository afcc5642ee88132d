package io.multiprocess.spring.boot.autoconfigure;

import io.multiprocess.ProcessPool;
import io.multiprocess.pool.ExitPolicy;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Starts and stops every {@link ProcessPool} bean with the application. At start (after the context refreshed, so
 * a training run that exits on refresh launches no JVM) the workers of the pools the starter made are launched, all
 * pools at once. At stop (after the web server has stopped taking requests, so requests in flight can still use the
 * pools) every pool takes no new work at the same moment, queued and running tasks get their pool's grace period,
 * then the workers that are left are killed. No worker JVM outlives the application, also when it is stopped with
 * SIGTERM (the JVM's shutdown hook closes the application context).
 *
 * <p>A pool the starter made has {@code shutdown-grace-period}; one the application defined itself is stopped by its
 * own {@link ExitPolicy}: the grace period of {@code drain} or {@code leaveToOwner}, none for {@code terminate}.
 * Replace this bean by defining one named {@value #BEAN_NAME}.
 */
class ProcessPoolLifecycle implements SmartLifecycle {

    static final String BEAN_NAME = "multiprocessPoolLifecycle";

    /**
     * Stopped after the web server: Spring Boot stops it gracefully at {@code DEFAULT_PHASE - 1024} and then at
     * {@code DEFAULT_PHASE - 2048}; lower phases stop later.
     */
    static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

    private static final Logger LOG = LoggerFactory.getLogger(ProcessPoolLifecycle.class);
    private static final Duration TERMINATE_WAIT = Duration.ofSeconds(10);

    private final ListableBeanFactory beans;
    private final Function<String, Optional<Duration>> configuredGracePeriods;
    private final Runnable afterStart;
    private volatile boolean running;

    /**
     * @param configuredGracePeriods the grace period of the pools made from properties, by bean name
     * @param afterStart what to do once the pools' workers are launching ({@code multiprocess.prewarm})
     */
    ProcessPoolLifecycle(ListableBeanFactory beans, Function<String, Optional<Duration>> configuredGracePeriods,
            Runnable afterStart) {
        this.beans = beans;
        this.configuredGracePeriods = configuredGracePeriods;
        this.afterStart = afterStart;
    }

    @Override
    public void start() {
        pools().forEach((name, pool) -> pool.start());
        running = true;
        afterStart.run();
    }

    /** Once stopped, the pools are closed for good: pausing the context would end them, so it is refused. */
    @Override
    public boolean isPauseable() {
        return false;
    }

    @Override
    public void stop() {
        Map<String, ProcessPool> pools = pools();
        long started = System.nanoTime();
        pools.forEach((name, pool) -> {
            LOG.info("process pool '{}': shutting down; queued and running tasks have {} to finish", name,
                    gracePeriod(name, pool));
            quietly(name, pool::shutdown);
        });
        Map<String, ProcessPool> overdue = new java.util.LinkedHashMap<>();
        pools.forEach((name, pool) -> {
            Duration grace = gracePeriod(name, pool);
            Duration left = grace.minusNanos(System.nanoTime() - started);
            if (!pool.join(left.isNegative() ? Duration.ZERO : left)) {
                LOG.info("process pool '{}': work still running after the {} grace period; terminating its workers",
                        name, grace);
                overdue.put(name, pool);
            }
        });
        // All at once, then one wait: a pool's stuck workers do not delay the others' end.
        overdue.forEach((name, pool) -> quietly(name, pool::terminate));
        overdue.values().forEach(pool -> pool.join(TERMINATE_WAIT));
        running = false;
    }

    /** Whatever one pool does, the others are still stopped. */
    private static void quietly(String name, Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            LOG.warn("process pool '{}': stopping it failed; going on with the others", name, e);
        }
    }

    private Duration gracePeriod(String name, ProcessPool pool) {
        return configuredGracePeriods.apply(name).orElseGet(() -> {
            ExitPolicy policy = pool.options().exitPolicy();
            return policy.mode() == ExitPolicy.Mode.TERMINATE ? Duration.ZERO : policy.gracePeriod();
        });
    }

    private Map<String, ProcessPool> pools() {
        return beans.getBeansOfType(ProcessPool.class, false, false);
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
