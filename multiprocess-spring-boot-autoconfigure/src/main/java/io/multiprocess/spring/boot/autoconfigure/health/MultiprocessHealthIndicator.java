package io.multiprocess.spring.boot.autoconfigure.health;

import io.multiprocess.BaseContext;
import io.multiprocess.ProcessPool;
import io.multiprocess.pool.PoolSnapshot;
import io.multiprocess.spring.boot.autoconfigure.RefusedConnections;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * The {@code multiprocess} health: UP while the pool runs (with the start method, workers by state, queued and
 * running tasks, and workers that died in a row), OUT_OF_SERVICE while it shuts down, DOWN once it is terminated or
 * broken (its workers cannot start). A crash loop (workers keep dying in tasks, replacements back off) stays UP with
 * a {@code crashLoop} detail. Without a pool it reports the context alone, UP. {@code refusedConnections} counts,
 * per socket of this JVM and by reason, the peers dropped before they authenticated.
 */
public class MultiprocessHealthIndicator extends AbstractHealthIndicator {

    private final BaseContext context;
    private final ProcessPool pool;

    /** @param pool the pool to report on; null when the application has none */
    public MultiprocessHealthIndicator(BaseContext context, ProcessPool pool) {
        super("multiprocess health check failed");
        this.context = context;
        this.pool = pool;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        builder.withDetail("startMethod", context.getStartMethod());
        Map<String, Map<String, Long>> refused = new TreeMap<>();
        RefusedConnections.open().forEach((socket, stats) -> refused.put(socket, RefusedConnections.byReason(stats)));
        if (!refused.isEmpty()) {
            // Detail only: peers without the key are dropped unread, so they say nothing against this JVM's health.
            builder.withDetail("refusedConnections", refused);
        }
        if (pool == null) {
            builder.up();
            return;
        }
        PoolSnapshot snapshot = pool.snapshot();
        Map<String, Integer> workers = new TreeMap<>();
        snapshot.workers().forEach(worker -> workers.merge(worker.state().name().toLowerCase(java.util.Locale.ROOT), 1,
                Integer::sum));
        builder.withDetail("pool", snapshot.state().name().toLowerCase(java.util.Locale.ROOT))
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
            case RUNNING -> builder.up();
            case CLOSED -> builder.outOfService();
            case BROKEN -> builder.down().withDetail("reason", "workers die at start-up: check the pool's JVM "
                    + "arguments, initializer and classpath (the log has the workers' stderr)");
            case TERMINATED -> builder.down();
        }
    }
}
