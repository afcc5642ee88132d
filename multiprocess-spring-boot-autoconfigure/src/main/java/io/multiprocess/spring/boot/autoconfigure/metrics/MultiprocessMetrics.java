package io.multiprocess.spring.boot.autoconfigure.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.multiprocess.BaseContext;
import io.multiprocess.MpProcess;
import io.multiprocess.ProcessListener;
import io.multiprocess.ProcessPool;
import io.multiprocess.pool.PoolListener;
import io.multiprocess.pool.PoolSnapshot;
import io.multiprocess.pool.TaskOutcome;
import io.multiprocess.pool.TimeSpent;
import io.multiprocess.pool.WorkerExitCause;
import io.multiprocess.pool.WorkerState;
import io.multiprocess.spring.boot.autoconfigure.MultiprocessQueues;
import io.multiprocess.spring.boot.autoconfigure.RefusedConnections;
import java.time.Duration;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * Micrometer meters for the pools (tag {@code pool}: the bean name), the processes the contexts start, the named
 * queues and the sockets. Counts come from what the library counted as it happened ({@code ProcessPool.totals()},
 * and a process listener attached once, before any worker starts), so they are the same in every registry this is
 * bound to and include the pools' first workers. Names follow Micrometer's executor meters where they mean the
 * same ({@code size}, {@code core}, {@code active}, {@code queued}, {@code completed}).
 *
 * <ul>
 *   <li>{@code multiprocess.pool.size} (workers now), {@code multiprocess.pool.core} (workers the pool keeps),
 *       {@code multiprocess.pool.active} (workers running a task), {@code multiprocess.pool.queued} (tasks waiting):
 *       gauges;</li>
 *   <li>{@code multiprocess.pool.workers} (gauge, tag {@code state}: starting, idle, busy, stopping);</li>
 *   <li>{@code multiprocess.pool.completed} (counter, tasks that ended, any outcome);
 *       {@code multiprocess.pool.tasks} (function timer, tag {@code outcome}: success, failure, timeout, crash,
 *       cancelled: count and time run on a worker); {@code multiprocess.pool.items} (counter, the items those tasks
 *       held, same tag);</li>
 *   <li>{@code multiprocess.pool.worker.starts} (counter) and {@code multiprocess.pool.worker.exits} (counter, tag
 *       {@code cause});</li>
 *   <li>{@code multiprocess.pool.worker.heap.used} (gauge, bytes, tag {@code slot}: the worker's place in the pool,
 *       bounded by its size, where a pid would not be; NaN while the slot is empty or before its worker's first
 *       task) and {@code multiprocess.pool.worker.memory.rss} (gauge, bytes, same tag: the worker's resident set,
 *       read from the operating system at most once a second; NaN where it does not tell);</li>
 *   <li>{@code multiprocess.pool.worker.time} (counter, seconds, tag {@code phase}: starting, waiting, working,
 *       serializing, deserializing): where the pool's workers' time went, as {@code PoolTotals.workerTime()};</li>
 *   <li>{@code multiprocess.process.starts} (counter, tag {@code start.method}) and
 *       {@code multiprocess.process.start.duration} (timer: {@code start()} to the target running);</li>
 *   <li>{@code multiprocess.queue.size} (gauge, tag {@code name});</li>
 *   <li>{@code multiprocess.connections.refused} (counter, tags {@code socket} = control, host and {@code reason} =
 *       too.many, failed.authentication, protocol.error, oversized, timed.out): peers this JVM's sockets dropped
 *       before they authenticated.</li>
 * </ul>
 */
public class MultiprocessMetrics implements MeterBinder {

    private final Map<String, ProcessPool> pools;
    private final MultiprocessQueues queues;
    private final List<MeterRegistry> registries = new CopyOnWriteArrayList<>();
    private final Map<String, LongAdder> processStarts = new ConcurrentHashMap<>();
    /** Per registry, per pool, the worker slots that have a heap gauge. */
    private final Map<MeterRegistry, Map<String, Set<Integer>>> slotGauges = new ConcurrentHashMap<>();

    /**
     * @param pools the pools to measure, by bean name
     * @param contexts the contexts whose process starts are counted (each pool's own context is added)
     * @param queues the named queues, or null
     */
    public MultiprocessMetrics(Map<String, ProcessPool> pools, Collection<BaseContext> contexts,
            MultiprocessQueues queues) {
        this.pools = Map.copyOf(pools);
        this.queues = queues;
        Map<BaseContext, Boolean> distinct = new IdentityHashMap<>();
        contexts.forEach(context -> distinct.put(context, true));
        pools.values().forEach(pool -> distinct.put(pool.context(), true));
        // Attached once, here (bindTo may run once per registry), and one listener for all: a pool's own context
        // shares its parent's listeners, where adding the same listener again has no effect.
        ProcessStarts starts = new ProcessStarts();
        distinct.keySet().forEach(context -> context.addProcessListener(starts));
        this.pools.forEach((name, pool) -> pool.addListener(new PoolListener() {
            @Override
            public void workerStarted(long workerPid) {
                registries.forEach(registry -> registerSlotGauges(registry, name, pool));
            }
        }));
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        if (registries.contains(registry)) {
            return;
        }
        registries.add(registry);
        pools.forEach((name, pool) -> bindPool(registry, name, pool));
        processStarts.keySet().forEach(method -> registerProcessStarts(registry, method));
        RefusedConnections.SOCKETS.forEach((socket, stats) -> RefusedConnections.REASONS.forEach((reason, count) ->
                FunctionCounter.builder("multiprocess.connections.refused", stats,
                        s -> RefusedConnections.count(s, count))
                        .tags("socket", socket, "reason", reason).baseUnit(BaseUnits.CONNECTIONS)
                        .description("Peers dropped before they authenticated, by socket and reason")
                        .register(registry)));
        if (queues != null) {
            for (String name : queues.names()) {
                Gauge.builder("multiprocess.queue.size", queues, q -> q.size(name)).tag("name", name)
                        .baseUnit("items").description("Items in a named queue").register(registry);
            }
        }
    }

    private void bindPool(MeterRegistry registry, String name, ProcessPool pool) {
        Tags tags = Tags.of("pool", name);
        Gauge.builder("multiprocess.pool.size", pool, p -> p.snapshot().workers().size()).tags(tags)
                .baseUnit("workers").description("Worker JVMs of the pool now").register(registry);
        Gauge.builder("multiprocess.pool.core", pool, p -> p.snapshot().processes()).tags(tags)
                .baseUnit("workers").description("Worker JVMs the pool keeps").register(registry);
        Gauge.builder("multiprocess.pool.active", pool, p -> p.snapshot().runningTasks()).tags(tags)
                .baseUnit("workers").description("Workers running a task now").register(registry);
        Gauge.builder("multiprocess.pool.queued", pool, p -> p.snapshot().queuedTasks()).tags(tags)
                .baseUnit(BaseUnits.TASKS).description("Tasks waiting for a worker").register(registry);
        for (WorkerState state : WorkerState.values()) {
            Gauge.builder("multiprocess.pool.workers", pool, p -> p.snapshot().workers().stream()
                    .filter(worker -> worker.state() == state).count())
                    .tags(tags).tag("state", lower(state)).baseUnit("workers")
                    .description("Worker JVMs of the pool, by state").register(registry);
        }
        FunctionCounter.builder("multiprocess.pool.completed", pool,
                p -> p.totals().tasks().values().stream().mapToLong(Long::longValue).sum())
                .tags(tags).baseUnit(BaseUnits.TASKS).description("Tasks that ended, whatever their outcome")
                .register(registry);
        for (TaskOutcome outcome : TaskOutcome.values()) {
            FunctionTimer.builder("multiprocess.pool.tasks", pool, p -> p.totals().tasks().get(outcome),
                    p -> p.totals().taskTime().get(outcome).toNanos(), TimeUnit.NANOSECONDS)
                    .tags(tags).tag("outcome", lower(outcome))
                    .description("Tasks that ended and their time on a worker, by outcome").register(registry);
            FunctionCounter.builder("multiprocess.pool.items", pool, p -> p.totals().items().get(outcome))
                    .tags(tags).tag("outcome", lower(outcome)).baseUnit("items")
                    .description("Items of the tasks that ended, by outcome").register(registry);
        }
        FunctionCounter.builder("multiprocess.pool.worker.starts", pool, p -> p.totals().workersStarted())
                .tags(tags).baseUnit("workers").description("Worker JVMs started, replacements included")
                .register(registry);
        for (WorkerExitCause cause : WorkerExitCause.values()) {
            FunctionCounter.builder("multiprocess.pool.worker.exits", pool, p -> p.totals().workerExits().get(cause))
                    .tags(tags).tag("cause", lower(cause)).baseUnit("workers")
                    .description("Worker JVMs that exited, by cause").register(registry);
        }
        Map<String, Function<TimeSpent, Duration>> phases = new LinkedHashMap<>();
        phases.put("starting", TimeSpent::starting);
        phases.put("waiting", TimeSpent::waiting);
        phases.put("working", TimeSpent::working);
        phases.put("serializing", TimeSpent::serializing);
        phases.put("deserializing", TimeSpent::deserializing);
        phases.forEach((phase, part) -> FunctionCounter.builder("multiprocess.pool.worker.time", pool,
                p -> part.apply(p.totals().workerTime()).toNanos() / 1e9).tags(tags).tag("phase", phase)
                .baseUnit("seconds").description("Where the workers' time went, by phase")
                .register(registry));
        registerSlotGauges(registry, name, pool);
    }

    /** A heap gauge for each slot up to the pool's size; slots appear as the pool grows. */
    private void registerSlotGauges(MeterRegistry registry, String name, ProcessPool pool) {
        Set<Integer> registered = slotGauges.computeIfAbsent(registry, r -> new ConcurrentHashMap<>())
                .computeIfAbsent(name, n -> ConcurrentHashMap.newKeySet());
        PoolSnapshot snapshot = pool.snapshot();
        int slots = Math.max(snapshot.processes(), snapshot.workers().stream().mapToInt(w -> w.slot() + 1).max()
                .orElse(0));
        for (int slot = 0; slot < slots; slot++) {
            if (registered.add(slot)) {
                int place = slot;
                Gauge.builder("multiprocess.pool.worker.heap.used", pool, p -> heapUsed(p, place))
                        .tags("pool", name, "slot", Integer.toString(slot)).baseUnit(BaseUnits.BYTES)
                        .description("Heap a worker used after its last task, by its place in the pool")
                        .register(registry);
                Gauge.builder("multiprocess.pool.worker.memory.rss", pool, p -> residentBytes(p, place))
                        .tags("pool", name, "slot", Integer.toString(slot)).baseUnit(BaseUnits.BYTES)
                        .description("A worker's resident set size, by its place in the pool").register(registry);
            }
        }
    }

    private static double residentBytes(ProcessPool pool, int slot) {
        return pool.snapshot().workers().stream().filter(worker -> worker.slot() == slot && worker.residentBytes() >= 0)
                .findFirst().map(worker -> (double) worker.residentBytes()).orElse(Double.NaN);
    }

    private static double heapUsed(ProcessPool pool, int slot) {
        return pool.snapshot().workers().stream().filter(worker -> worker.slot() == slot && worker.heapUsedBytes() >= 0)
                .findFirst().map(worker -> (double) worker.heapUsedBytes()).orElse(Double.NaN);
    }

    private void registerProcessStarts(MeterRegistry registry, String method) {
        FunctionCounter.builder("multiprocess.process.starts", processStarts.get(method), LongAdder::sum)
                .tag("start.method", method).baseUnit("processes")
                .description("Child processes started, pool workers included").register(registry);
    }

    private static String lower(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }

    /** Counts each start once, whichever registries exist; the duration goes to each registry bound so far. */
    private final class ProcessStarts implements ProcessListener {
        @Override
        public void processStarted(MpProcess process, String startMethod, Duration startDuration) {
            LongAdder count = processStarts.get(startMethod);
            if (count == null) {
                LongAdder fresh = new LongAdder();
                count = processStarts.putIfAbsent(startMethod, fresh);
                if (count == null) {
                    count = fresh;
                    registries.forEach(registry -> registerProcessStarts(registry, startMethod));
                }
            }
            count.increment();
            for (MeterRegistry registry : registries) {
                Timer.builder("multiprocess.process.start.duration").tag("start.method", startMethod)
                        .description("From start() to the child's target running").register(registry)
                        .record(startDuration);
            }
        }
    }
}
