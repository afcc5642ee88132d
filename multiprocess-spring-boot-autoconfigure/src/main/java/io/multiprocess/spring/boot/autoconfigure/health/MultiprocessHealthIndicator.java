package io.multiprocess.spring.boot.autoconfigure.health;

import io.multiprocess.ProcessPool;
import io.multiprocess.pool.PoolSnapshot;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * The health of one pool, a component of the {@code multiprocess} health: UP while it runs (with its start method,
 * workers by state, queued and running tasks, and workers that died in a row), OUT_OF_SERVICE while it shuts down,
 * DOWN once it is terminated or broken (its workers cannot start), UNKNOWN before its workers were started. A crash
 * loop (workers keep dying in tasks, replacements back off) stays UP with a {@code crashLoop} detail.
 */
public class MultiprocessHealthIndicator extends AbstractHealthIndicator {

    private final ProcessPool pool;

    public MultiprocessHealthIndicator(ProcessPool pool) {
        super("multiprocess pool health check failed");
        this.pool = pool;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        PoolSnapshot snapshot = pool.snapshot();
        Map<String, Integer> workers = new TreeMap<>();
        snapshot.workers().forEach(worker -> workers.merge(worker.state().name().toLowerCase(Locale.ROOT), 1,
                Integer::sum));
        builder.withDetail("startMethod", pool.context().getStartMethod())
                .withDetail("state", snapshot.state().name().toLowerCase(Locale.ROOT))
                .withDetail("processes", snapshot.processes())
                .withDetail("workers", workers)
                .withDetail("queuedTasks", snapshot.queuedTasks())
                .withDetail("runningTasks", snapshot.runningTasks())
                .withDetail("consecutiveCrashes", snapshot.consecutiveCrashes());
        if (snapshot.crashLooping()) {
            // Still UP: tasks are served as workers are replaced, only slower; the detail tells ops why.
            builder.withDetail("crashLoop", "workers keep dying in tasks; each replacement now waits "
                    + snapshot.replacementBackoff().toMillis() + " ms (the log names the exits)");
        }
        switch (snapshot.state()) {
            case RUNNING -> {
                if (pool.isStarted()) {
                    builder.up();
                } else {
                    builder.unknown().withDetail("reason", "its workers start when the application has started");
                }
            }
            case CLOSED -> builder.outOfService();
            case BROKEN -> builder.down().withDetail("reason", "workers die at start-up: check the pool's JVM "
                    + "arguments, initializer and classpath (the log has the workers' stderr)");
            case TERMINATED -> builder.down();
        }
    }
}
