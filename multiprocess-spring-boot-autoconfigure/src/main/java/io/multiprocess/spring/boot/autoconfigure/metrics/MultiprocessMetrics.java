package io.multiprocess.spring.boot.autoconfigure.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.multiprocess.BaseContext;
import io.multiprocess.MpProcess;
import io.multiprocess.ProcessListener;
import io.multiprocess.ProcessPool;
import io.multiprocess.pool.PoolListener;
import io.multiprocess.pool.TaskOutcome;
import io.multiprocess.pool.WorkerExitCause;
import io.multiprocess.pool.WorkerState;
import io.multiprocess.spring.boot.autoconfigure.MultiprocessQueues;
import io.multiprocess.spring.boot.autoconfigure.RefusedConnections;
import java.time.Duration;
import java.util.Locale;

/**
 * Micrometer meters for the context's processes, the pool and the named queues. Counters and timers are driven by
 * the core's listeners (what really happened, as it happens); gauges read the pool's and the queues' state when
 * they are scraped.
 *
 * <ul>
 *   <li>{@code multiprocess.process.starts} (counter, tag {@code start.method}) and
 *       {@code multiprocess.process.start.duration} (timer: {@code start()} to the target running);</li>
 *   <li>{@code multiprocess.pool.tasks} (counter, tag {@code outcome} = success, failure, timeout, crash,
 *       cancelled) and {@code multiprocess.pool.task.duration} (timer, same tag);</li>
 *   <li>{@code multiprocess.pool.workers} (gauge, tag {@code state} = starting, idle, busy, stopping),
 *       {@code multiprocess.pool.queued} (gauge), {@code multiprocess.pool.worker.exits} (counter, tag
 *       {@code cause});</li>
 *   <li>{@code multiprocess.queue.size} (gauge, tag {@code name});</li>
 *   <li>{@code multiprocess.connections.refused} (function counter, tags {@code socket} = control, host and
 *       {@code reason} = too.many, failed.authentication, protocol.error, oversized, timed.out): peers this JVM's
 *       sockets dropped before they authenticated.</li>
 * </ul>
 */
public class MultiprocessMetrics implements MeterBinder, PoolListener, ProcessListener {

    private final BaseContext context;
    private final ProcessPool pool;
    private final MultiprocessQueues queues;
    private volatile MeterRegistry registry;

    /** @param pool null when the application has no pool; @param queues null when it has no named queues */
    public MultiprocessMetrics(BaseContext context, ProcessPool pool, MultiprocessQueues queues) {
        this.context = context;
        this.pool = pool;
        this.queues = queues;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        this.registry = registry;
        context.addProcessListener(this);
        if (pool != null) {
            pool.addListener(this);
            for (WorkerState state : WorkerState.values()) {
                Gauge.builder("multiprocess.pool.workers", pool, p -> p.snapshot().workers().stream()
                        .filter(worker -> worker.state() == state).count())
                        .tag("state", state.name().toLowerCase(Locale.ROOT))
                        .description("Worker JVMs of the process pool, by state")
                        .register(registry);
            }
            Gauge.builder("multiprocess.pool.queued", pool, p -> p.snapshot().queuedTasks())
                    .description("Tasks waiting for a pool worker").register(registry);
        }
        RefusedConnections.SOCKETS.forEach((socket, stats) -> RefusedConnections.REASONS.forEach((reason, count) ->
                FunctionCounter.builder("multiprocess.connections.refused", stats,
                        s -> RefusedConnections.count(s, count))
                        .tags("socket", socket, "reason", reason)
                        .description("Peers dropped before they authenticated, by socket and reason")
                        .register(registry)));
        if (queues != null) {
            for (String name : queues.names()) {
                Gauge.builder("multiprocess.queue.size", queues, q -> q.queue(name).qsize()).tag("name", name)
                        .description("Items in a named queue").register(registry);
            }
        }
    }

    @Override
    public void processStarted(MpProcess process, String startMethod, Duration startDuration) {
        MeterRegistry meters = registry;
        Counter.builder("multiprocess.process.starts").tag("start.method", startMethod)
                .description("Child processes started (pool workers included)").register(meters).increment();
        Timer.builder("multiprocess.process.start.duration").tag("start.method", startMethod)
                .description("From start() to the child's target running").register(meters).record(startDuration);
    }

    @Override
    public void taskFinished(long taskId, int size, TaskOutcome outcome, Duration duration) {
        MeterRegistry meters = registry;
        String tag = outcome.name().toLowerCase(Locale.ROOT);
        Counter.builder("multiprocess.pool.tasks").tag("outcome", tag)
                .description("Pool tasks finished, by outcome").register(meters).increment();
        Timer.builder("multiprocess.pool.task.duration").tag("outcome", tag)
                .description("How long pool tasks ran on a worker").register(meters).record(duration);
    }

    @Override
    public void workerExited(long workerPid, WorkerExitCause cause, int exitCode) {
        Counter.builder("multiprocess.pool.worker.exits").tag("cause", cause.name().toLowerCase(Locale.ROOT))
                .description("Pool worker JVMs that exited, by cause").register(registry).increment();
    }
}
