package io.multiprocess.spring.boot.autoconfigure.endpoint;

import io.multiprocess.BaseContext;
import io.multiprocess.ProcessPool;
import io.multiprocess.diagnostics.AcceptorStats;
import io.multiprocess.pool.CallProgress;
import io.multiprocess.pool.PoolSnapshot;
import io.multiprocess.pool.PoolState;
import io.multiprocess.pool.PoolTotals;
import io.multiprocess.pool.TimeSpent;
import io.multiprocess.pool.WorkerState;
import io.multiprocess.spring.boot.autoconfigure.MultiprocessQueues;
import io.multiprocess.spring.boot.autoconfigure.RefusedConnections;
import java.security.Principal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * The {@code multiprocess} actuator endpoint ({@code /actuator/multiprocess} once exposed).
 *
 * <ul>
 *   <li>{@code GET /actuator/multiprocess}: every {@link ProcessPool} bean under {@code pools}, keyed by bean name,
 *       each with its workers (pid, slot, state, tasks done, uptime, heap used after the last task, resident
 *       memory, CPU time, where their time went), its running calls and totals;
 *       the named queues' sizes; the connections this JVM's sockets accepted and dropped.</li>
 *   <li>{@code GET /actuator/multiprocess/{pool}}: one pool.</li>
 *   <li>{@code POST /actuator/multiprocess/{pool}} with {@code {"processes": 4}}: resizes the pool
 *       ({@link ProcessPool#resize}).</li>
 *   <li>{@code POST /actuator/multiprocess/{pool}/{pid}} with {@code {"action": "recycle"}}: replaces that worker
 *       with a fresh JVM once its tasks are done ({@link ProcessPool#recycleWorker}).</li>
 * </ul>
 *
 * Read-only by default: the write operations need {@code management.endpoint.multiprocess.access=unrestricted}.
 * Every write is logged at INFO with the caller's principal.
 */
@Endpoint(id = "multiprocess", defaultAccess = Access.READ_ONLY)
public class MultiprocessEndpoint {

    private static final Logger LOG = LoggerFactory.getLogger(MultiprocessEndpoint.class);

    private final BaseContext context;
    private final Supplier<Map<String, ProcessPool>> pools;
    private final MultiprocessQueues queues;
    private final ClusterSection cluster;

    /**
     * @param context the application's context, or null when it has none or several
     * @param pools the pools by bean name, read at each call
     * @param queues the named queues, or null
     */
    public MultiprocessEndpoint(BaseContext context, Supplier<Map<String, ProcessPool>> pools,
            MultiprocessQueues queues) {
        this(context, pools, queues, null);
    }

    /**
     * @param context the application's context, or null when it has none or several
     * @param pools the pools by bean name, read at each call
     * @param queues the named queues, or null
     * @param cluster the cluster pool's section, or null when there is no cluster pool
     */
    public MultiprocessEndpoint(BaseContext context, Supplier<Map<String, ProcessPool>> pools,
            MultiprocessQueues queues, ClusterSection cluster) {
        this.context = context;
        this.pools = pools;
        this.queues = queues;
        this.cluster = cluster;
    }

    @ReadOperation
    public Report report() {
        Map<String, Integer> sizes = new LinkedHashMap<>();
        if (queues != null) {
            queues.names().forEach(name -> sizes.put(name, queues.size(name)));
        }
        Map<String, PoolReport> reports = new TreeMap<>();
        pools.get().forEach((name, pool) -> reports.put(name, PoolReport.of(pool)));
        return new Report(context == null ? null : context.getStartMethod(), reports, sizes,
                RefusedConnections.open(), cluster == null ? null : cluster.report());
    }

    @ReadOperation
    public PoolReport pool(@Selector String pool) {
        ProcessPool found = pools.get().get(pool);
        return found == null ? null : PoolReport.of(found);
    }

    /** Makes the pool keep {@code processes} workers: grows at once, shrinks by retiring idle workers first. */
    @WriteOperation
    public PoolReport resize(SecurityContext caller, @Selector String pool, int processes) {
        ProcessPool target = find(pool);
        int before = target.snapshot().processes();
        try {
            target.resize(processes);
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new InvalidEndpointRequestException("cannot resize pool '" + pool + "': " + e.getMessage(),
                    e.getMessage(), e);
        }
        LOG.info("actuator: process pool '{}' resized from {} to {} workers, asked by {}", pool, before, processes,
                who(caller));
        return PoolReport.of(target);
    }

    /** {@code action} "recycle": replaces the worker {@code pid} with a fresh JVM once its tasks are done. */
    @WriteOperation
    public WorkerAction worker(SecurityContext caller, @Selector String pool, @Selector long pid, String action) {
        ProcessPool target = find(pool);
        if (!"recycle".equals(action)) {
            throw new InvalidEndpointRequestException("unknown action '" + action + "' for a worker; the one "
                    + "action is \"recycle\"", "unknown action");
        }
        boolean recycled;
        try {
            recycled = target.recycleWorker(pid);
        } catch (IllegalStateException e) {
            throw new InvalidEndpointRequestException("cannot recycle a worker of pool '" + pool + "': "
                    + e.getMessage(), e.getMessage(), e);
        }
        if (!recycled) {
            throw new InvalidEndpointRequestException("pool '" + pool + "' has no worker with pid " + pid
                    + " that is not already on its way out; its workers: " + target.snapshot().workers().stream()
                            .map(PoolSnapshot.Worker::pid).toList(), "no such worker");
        }
        LOG.info("actuator: worker {} of process pool '{}' is recycled, asked by {}", pid, pool, who(caller));
        return new WorkerAction(pool, pid, "recycle");
    }

    private ProcessPool find(String name) {
        Map<String, ProcessPool> all = pools.get();
        ProcessPool pool = all.get(name);
        if (pool == null) {
            throw new InvalidEndpointRequestException("no process pool named '" + name + "'; pools: "
                    + new TreeMap<>(all).keySet(), "no such pool");
        }
        return pool;
    }

    private static String who(SecurityContext caller) {
        Principal principal = caller == null ? null : caller.getPrincipal();
        return principal == null ? "an unauthenticated caller" : "'" + principal.getName() + "'";
    }

    /**
     * What {@code GET /actuator/multiprocess} returns. {@code startMethod} is the application context's (null when
     * there is not exactly one); {@code connections} has what each open socket of this JVM accepted, authenticated
     * and dropped before authentication, by reason; {@code cluster} is the cluster pool's, null without one.
     */
    public record Report(String startMethod, Map<String, PoolReport> pools, Map<String, Integer> queues,
            Map<String, AcceptorStats> connections, ClusterReport cluster) {
    }

    /** Supplies the cluster pool's part of the report; a bean of the cluster auto-configuration. */
    @FunctionalInterface
    public interface ClusterSection {

        /** The cluster pool as this instance sees it now. */
        ClusterReport report();
    }

    /**
     * The cluster pool: its name on the cluster, this member's address, every member with what it publishes and
     * what this member sent to and received from it, and the batches refused because the cluster key did not
     * authenticate them.
     */
    public record ClusterReport(String name, String localMember, int retries, List<ClusterMemberReport> members,
            long tasksRefused) {
    }

    /** One member of the cluster, as {@code ClusterPool.members()} and its counters show it. */
    public record ClusterMemberReport(String address, String uuid, boolean local, boolean serving, int processes,
            int busy, long tasksServed, long tasksSent, long tasksReceived) {
    }

    /**
     * One pool: its workers, the calls running on it (the oldest {@value #CALLS_LISTED}, with {@code runningCalls}
     * counting them all) and what it has done.
     */
    public record PoolReport(String startMethod, PoolState state, boolean started, int processes, int queuedTasks,
            int runningTasks, List<WorkerReport> workers, int runningCalls, List<CallReport> calls,
            TotalsReport totals) {

        static PoolReport of(ProcessPool pool) {
            PoolSnapshot snapshot = pool.snapshot();
            List<CallProgress> calls = pool.runningCalls();
            return new PoolReport(pool.context().getStartMethod(), snapshot.state(), pool.isStarted(),
                    snapshot.processes(), snapshot.queuedTasks(), snapshot.runningTasks(),
                    snapshot.workers().stream().map(WorkerReport::of).toList(), calls.size(),
                    calls.stream().limit(CALLS_LISTED).map(CallReport::of).toList(), TotalsReport.of(pool.totals()));
        }
    }

    /** At most this many running calls are listed per pool: a busy service may have thousands of applies. */
    static final int CALLS_LISTED = 50;

    /**
     * A call running on a pool: {@code done} and {@code failed} items of {@code total} (-1 while an imap's input has
     * not ended), for how long, at what rate, and the time left at that rate (null when unknown).
     */
    public record CallReport(long id, String kind, long done, long failed, long total, long elapsedMillis,
            double itemsPerSecond, Long estimatedMillisLeft, TimeSpentReport timeSpent) {

        static CallReport of(CallProgress progress) {
            return new CallReport(progress.callId(), progress.kind(), progress.done(), progress.failed(),
                    progress.total(), progress.elapsed().toMillis(), Math.round(progress.itemsPerSecond() * 10) / 10.0,
                    progress.estimatedTimeLeft().map(java.time.Duration::toMillis).orElse(null),
                    TimeSpentReport.of(progress.timeSpent()));
        }
    }

    /** Where time went, in milliseconds (see {@link TimeSpent}). */
    public record TimeSpentReport(double starting, double waiting, double working, double serializing,
            double deserializing) {

        static TimeSpentReport of(TimeSpent spent) {
            return new TimeSpentReport(millis(spent.starting()), millis(spent.waiting()), millis(spent.working()),
                    millis(spent.serializing()), millis(spent.deserializing()));
        }

        private static double millis(java.time.Duration time) {
            return Math.round(time.toNanos() / 1e4) / 100.0;
        }
    }

    /**
     * What the pool has done since it was created, keyed as the meters' tags are: workers started and exited by
     * cause, tasks and their items by outcome, and the seconds those tasks ran on a worker.
     */
    public record TotalsReport(long workersStarted, Map<String, Long> workerExits, Map<String, Long> tasks,
            Map<String, Long> items, Map<String, Double> taskSeconds, TimeSpentReport workerTime) {

        static TotalsReport of(PoolTotals totals) {
            Map<String, Double> seconds = new TreeMap<>();
            totals.taskTime().forEach((outcome, time) -> seconds.put(lower(outcome), time.toNanos() / 1e9));
            return new TotalsReport(totals.workersStarted(), lowerKeys(totals.workerExits()),
                    lowerKeys(totals.tasks()), lowerKeys(totals.items()), seconds,
                    TimeSpentReport.of(totals.workerTime()));
        }

        private static Map<String, Long> lowerKeys(Map<? extends Enum<?>, Long> counts) {
            Map<String, Long> lowered = new TreeMap<>();
            counts.forEach((key, count) -> lowered.put(lower(key), count));
            return lowered;
        }

        private static String lower(Enum<?> value) {
            return value.name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * One worker JVM; {@code heapUsedBytes} is -1 before its first task, {@code residentBytes} -1 and
     * {@code cpuMillis} null where the platform does not tell.
     */
    public record WorkerReport(long pid, int slot, WorkerState state, long tasksDone, long uptimeMillis,
            long heapUsedBytes, long residentBytes, Long cpuMillis, TimeSpentReport timeSpent) {

        static WorkerReport of(PoolSnapshot.Worker worker) {
            return new WorkerReport(worker.pid(), worker.slot(), worker.state(), worker.tasksDone(),
                    worker.uptime().toMillis(), worker.heapUsedBytes(), worker.residentBytes(),
                    worker.cpuTime() == null ? null : worker.cpuTime().toMillis(),
                    TimeSpentReport.of(worker.timeSpent()));
        }
    }

    /** What a worker operation did. */
    public record WorkerAction(String pool, long pid, String action) {
    }
}
