package io.multiprocess.hazelcast;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import io.multiprocess.AsyncResult;
import io.multiprocess.ProcessPool;
import io.multiprocess.function.SerializableFunction;
import io.multiprocess.pool.TaskFailedException;
import io.multiprocess.pool.TaskTimeoutException;
import io.multiprocess.pool.WorkerCrashedException;
import io.multiprocess.reduction.Reducer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This member's side of a cluster pool: runs the batches other members send in the local process pool, after their
 * envelope is authenticated, and cancels them when their submitter leaves the cluster.
 */
final class ServingMember {

    private static final Logger log = LoggerFactory.getLogger(ServingMember.class);
    /** The serving members of this JVM, by Hazelcast instance and pool name: a request finds its pool here. */
    private static final Map<String, ServingMember> SERVING = new ConcurrentHashMap<>();

    private final HazelcastInstance hazelcast;
    private final String pool;
    private final ClusterKey key;
    private final ProcessPool local;
    private final Reducer reducer;
    private final Runnable loadChanged;
    private final Set<Running> running = ConcurrentHashMap.newKeySet();
    private final AtomicInteger busy = new AtomicInteger();
    private final AtomicLong served = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final Map<String, AtomicLong> receivedFrom = new ConcurrentHashMap<>();
    private final String address;
    private volatile boolean serving = true;
    private volatile boolean takingOthers = true;
    private final String localUuid;
    private UUID membershipRegistration;

    ServingMember(HazelcastInstance hazelcast, String pool, ClusterKey key, ProcessPool local, Runnable loadChanged) {
        this.hazelcast = hazelcast;
        this.pool = pool;
        this.key = key;
        this.local = local;
        this.reducer = local.context().getReducer();
        this.loadChanged = loadChanged;
        this.address = String.valueOf(hazelcast.getCluster().getLocalMember().getAddress());
        this.localUuid = hazelcast.getCluster().getLocalMember().getUuid().toString();
    }

    static ServingMember find(HazelcastInstance hazelcast, String pool) {
        return hazelcast == null ? null : SERVING.get(registryKey(hazelcast, pool));
    }

    void start() {
        if (SERVING.putIfAbsent(registryKey(hazelcast, pool), this) != null) {
            throw new IllegalStateException("a cluster pool named '" + pool + "' already serves on Hazelcast "
                    + "instance '" + hazelcast.getName() + "'; give each cluster pool of a member its own name");
        }
        membershipRegistration = hazelcast.getCluster().addMembershipListener(new MembershipListener() {
            @Override
            public void memberAdded(MembershipEvent event) {
            }

            @Override
            public void memberRemoved(MembershipEvent event) {
                submitterLeft(event.getMember());
            }
        });
    }

    /** Stops taking batches; with {@code cancelRunning}, stops the ones running too. */
    void stop(boolean cancelRunning) {
        serving = false;
        SERVING.remove(registryKey(hazelcast, pool), this);
        if (membershipRegistration != null && hazelcast.getLifecycleService().isRunning()) {
            try {
                hazelcast.getCluster().removeMembershipListener(membershipRegistration);
            } catch (RuntimeException e) {
                log.debug("could not remove the membership listener of cluster pool '{}': {}", pool, e.toString());
            }
        }
        if (cancelRunning) {
            running.forEach(batch -> batch.result().cancel(true));
        }
        loadChanged.run();
    }

    /** Whether this member runs batches: its own at least; see {@link #takingOthers()}. */
    boolean serving() {
        return serving && local.snapshot().state() == io.multiprocess.pool.PoolState.RUNNING;
    }

    /** Whether it takes other members' batches too: not once its pool is shutting down. */
    boolean takingOthers() {
        return takingOthers && serving();
    }

    /** Takes no more batches of other members (they go elsewhere); its own calls still run here. */
    void stopTakingOthers() {
        takingOthers = false;
        loadChanged.run();
    }

    int busy() {
        return busy.get();
    }

    long served() {
        return served.get();
    }

    long refused() {
        return refused.get();
    }

    /** Batches received, by the address of the member that sent them. */
    Map<String, Long> receivedBySubmitter() {
        Map<String, Long> counts = new java.util.TreeMap<>();
        receivedFrom.forEach((member, count) -> counts.put(member, count.get()));
        return counts;
    }

    int processes() {
        return local.snapshot().processes();
    }

    BatchReply serve(BatchRequest request) {
        if (!key.verify(request.mac(), request.macParts())) {
            refused.incrementAndGet();
            log.warn("cluster pool '{}' refused a batch from member {}: its envelope is not authenticated by this "
                    + "member's cluster key (a member with another key, or forged bytes); it was not deserialized",
                    pool, request.submitter());
            return reply(request, BatchReply.Status.REFUSED, "the batch is not authenticated by the cluster key of "
                    + "member " + address + "; give every member the same cluster key", 0, 0, List.of(), null);
        }
        if (!serving() || !takingOthers && !localUuid.equals(request.submitter())) {
            return reply(request, BatchReply.Status.NOT_SERVING, "cluster pool '" + pool + "' no longer serves on "
                    + "member " + address, 0, 0, List.of(), null);
        }
        if (!reducer.name().equals(request.reducer())) {
            return reply(request, BatchReply.Status.FAILED, "member " + address + " reduces with '" + reducer.name()
                    + "', the submitter with '" + request.reducer() + "'; give every member the same reducer", 0, 0,
                    List.of(), null);
        }
        receivedFrom.computeIfAbsent(memberAddress(request.submitter()), member -> new AtomicLong())
                .incrementAndGet();
        busy.incrementAndGet();
        loadChanged.run();
        try {
            return run(request);
        } finally {
            busy.decrementAndGet();
            served.incrementAndGet();
            loadChanged.run();
        }
    }

    /**
     * Runs one of this member's own batches in the local pool, as its own pool would, counted in its load.
     *
     * @throws IllegalStateException when the local pool takes no more work
     */
    AsyncResult<List<Object>> runOwn(SerializableFunction<Object, Object> function, List<Object> items,
            Duration timeout) {
        if (!serving()) {
            throw new IllegalStateException("cluster pool '" + pool + "' no longer serves on this member");
        }
        AsyncResult<List<Object>> result = local.mapAsync(function, items, Math.max(1, items.size()), timeout, null,
                null);
        Running batch = new Running(localUuid, result);
        running.add(batch);
        receivedFrom.computeIfAbsent(address, member -> new AtomicLong()).incrementAndGet();
        busy.incrementAndGet();
        loadChanged.run();
        result.toCompletableFuture().whenComplete((results, error) -> {
            running.remove(batch);
            busy.decrementAndGet();
            served.incrementAndGet();
            loadChanged.run();
        });
        return result;
    }

    @SuppressWarnings("unchecked")
    private BatchReply run(BatchRequest request) {
        SerializableFunction<Object, Object> function;
        List<Object> items;
        try {
            Object[] batch = (Object[]) reducer.loads(request.payload());
            function = (SerializableFunction<Object, Object>) batch[0];
            items = (List<Object>) batch[1];
        } catch (RuntimeException | LinkageError e) {
            return failure(request, new TaskFailedException("member " + address + " could not read the batch: " + e
                    + "; every member must run the same application classes", e));
        }
        Duration timeout = request.timeoutNanos() < 0 ? null : Duration.ofNanos(request.timeoutNanos());
        AsyncResult<List<Object>> result;
        try {
            result = local.mapAsync(function, items, Math.max(1, items.size()), timeout, null, null);
        } catch (IllegalStateException e) {
            return reply(request, BatchReply.Status.NOT_SERVING, "the local pool of member " + address
                    + " no longer takes work: " + e.getMessage(), 0, 0, List.of(), null);
        }
        Running batch = new Running(request.submitter(), result);
        running.add(batch);
        try {
            if (!hazelcast.getCluster().getMembers().stream()
                    .anyMatch(member -> member.getUuid().toString().equals(request.submitter()))) {
                // Its submitter left while the batch travelled; the listener has already run.
                result.cancel(true);
            }
            List<Object> results = result.toCompletableFuture().get();
            return reply(request, BatchReply.Status.SUCCEEDED, "", 0, 0, List.of(), reducer.dumps(results));
        } catch (InterruptedException e) {
            // The submitter cancelled the batch: Hazelcast interrupts the executor thread that waits for it.
            result.cancel(true);
            Thread.currentThread().interrupt();
            return reply(request, BatchReply.Status.CANCELLED, "cancelled", 0, 0, List.of(), null);
        } catch (CancellationException e) {
            return reply(request, BatchReply.Status.CANCELLED, "the batch was cancelled on member " + address, 0, 0,
                    List.of(), null);
        } catch (ExecutionException e) {
            return failure(request, e.getCause());
        } catch (RuntimeException e) {
            return failure(request, e);
        } finally {
            running.remove(batch);
        }
    }

    private BatchReply failure(BatchRequest request, Throwable error) {
        if (error instanceof WorkerCrashedException crash) {
            return reply(request, BatchReply.Status.WORKER_CRASHED, crash.getMessage(), crash.workerPid(),
                    crash.exitCode(), crash.stderrTail(), null);
        }
        if (error instanceof TaskTimeoutException timeout) {
            return reply(request, BatchReply.Status.TIMED_OUT, timeout.getMessage(), 0, 0, List.of(),
                    timeout.threadDump().map(this::dumpsOrNull).orElse(null));
        }
        if (error instanceof CancellationException) {
            return reply(request, BatchReply.Status.CANCELLED, error.getMessage(), 0, 0, List.of(), null);
        }
        Throwable cause = error instanceof TaskFailedException && error.getCause() != null ? error.getCause() : error;
        return reply(request, BatchReply.Status.FAILED, error.getMessage(), 0, 0, List.of(), dumpsOrNull(cause));
    }

    private byte[] dumpsOrNull(Object value) {
        try {
            return reducer.dumps(value);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private BatchReply reply(BatchRequest request, BatchReply.Status status, String message, long pid, int exitCode,
            List<String> stderrTail, byte[] payload) {
        return BatchReply.signed(key, request.taskId(), status, address, message, pid, exitCode, stderrTail,
                payload);
    }

    private void submitterLeft(Member member) {
        String uuid = member.getUuid().toString();
        int cancelled = 0;
        for (Running batch : running) {
            if (batch.submitter().equals(uuid) && batch.result().cancel(true)) {
                cancelled++;
            }
        }
        if (cancelled > 0) {
            log.info("cluster pool '{}': member {} left; cancelled the {} batches it had sent here", pool,
                    member.getAddress(), cancelled);
        }
    }

    private String memberAddress(String uuid) {
        for (Member member : hazelcast.getCluster().getMembers()) {
            if (member.getUuid().toString().equals(uuid)) {
                return String.valueOf(member.getAddress());
            }
        }
        return uuid;
    }

    private static String registryKey(HazelcastInstance hazelcast, String pool) {
        return hazelcast.getName() + '\u0000' + pool;
    }

    private record Running(String submitter, AsyncResult<List<Object>> result) {
    }
}
