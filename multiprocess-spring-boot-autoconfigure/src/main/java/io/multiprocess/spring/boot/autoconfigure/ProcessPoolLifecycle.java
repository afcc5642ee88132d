package io.multiprocess.spring.boot.autoconfigure;

import io.multiprocess.ProcessPool;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Stops the {@link ProcessPool} bean in step with Spring's graceful shutdown: after the web server has stopped
 * taking requests (so requests in flight can still use the pool), the pool takes no new work, queued and running
 * tasks get the grace period to finish, then the workers that are left are killed. No worker JVM outlives the
 * application, also when it is stopped with SIGTERM (the JVM's shutdown hook closes the application context).
 *
 * <p>The pool is created with {@link io.multiprocess.pool.ExitPolicy#leaveToOwner}, so the library's own exit hook,
 * which runs at the same time as Spring's, neither terminates its workers nor stops it taking work while this
 * lifecycle waits its turn.
 */
class ProcessPoolLifecycle implements SmartLifecycle {

    /**
     * Stopped after the web server: Spring Boot stops it gracefully at {@code DEFAULT_PHASE - 1024} and then at
     * {@code DEFAULT_PHASE - 2048}; lower phases stop later.
     */
    static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

    private static final Logger LOG = LoggerFactory.getLogger(ProcessPoolLifecycle.class);

    private final ProcessPool pool;
    private final Duration gracePeriod;
    private volatile boolean running;

    ProcessPoolLifecycle(ProcessPool pool, Duration gracePeriod) {
        this.pool = pool;
        this.gracePeriod = gracePeriod;
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        LOG.info("process pool: shutting down; queued and running tasks have {} to finish", gracePeriod);
        pool.shutdown();
        if (!pool.join(gracePeriod)) {
            LOG.info("process pool: work still running after the {} grace period; terminating its workers",
                    gracePeriod);
            pool.terminate();
            pool.join(Duration.ofSeconds(10));
        }
        running = false;
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
