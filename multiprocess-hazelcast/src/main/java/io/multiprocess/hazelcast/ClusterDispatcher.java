package io.multiprocess.hazelcast;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceNotActiveException;
import com.hazelcast.core.IExecutorService;
import com.hazelcast.replicatedmap.ReplicatedMap;
import io.multiprocess.AsyncResult;
import io.multiprocess.errors.AuthenticationException;
import io.multiprocess.function.SerializableFunction;
import io.multiprocess.pool.PoolBackend;
import io.multiprocess.pool.TaskFailedException;
import io.multiprocess.pool.TaskTimeoutException;
import io.multiprocess.pool.ThreadDump;
import io.multiprocess.pool.WorkerCrashedException;
import io.multiprocess.reduction.Reducer;
import io.multiprocess.reduction.ReductionException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This member's side of sending a cluster pool's batches: keeps them until a member has room, sends each to one
 * member through the executor service, and settles it from the member's authenticated reply, or retries or fails it
 * when the member is lost.
 *
 * <p>Placement: a member takes batches while this submitter has fewer than {@link #WINDOW} times its workers in
 * flight there; among those, the one with the least load per worker (its published load, or this submitter's own
 * batches there when more) gets the next batch. The window bounds what one submitter can queue ahead of another on a
 * member, whose local pool runs batches in arrival order: that is the fairness between submitters.
 */
final class ClusterDispatcher {

    /** Batches in flight per worker of a member, from one submitter: one running and one waiting in its queue. */
    static final int WINDOW = 2;
    private static final Logger log = LoggerFactory.getLogger(ClusterDispatcher.class);

    private final HazelcastInstance hazelcast;
    private final String pool;
    private final ClusterKey key;
    private final Reducer reducer;
    private final IExecutorService executor;
    private final ReplicatedMap<String, MemberLoad> loads;
    private final boolean localFirst;
    private final Duration noMemberTimeout;
    private final ServingMember server;
    private final String localUuid;
    private final AtomicLong taskIds = new AtomicLong();
    private final Object lock = new Object();
    private final ArrayDeque<Outgoing> pending = new ArrayDeque<>();
    private final Set<Outgoing> sent = new LinkedHashSet<>();
    private final Map<String, Integer> inFlight = new HashMap<>();
    /** Members that answered that they do not serve; asked again when they publish their load again. */
    private final Set<String> notServing = new HashSet<>();
    private final Map<String, AtomicLong> sentTo = new java.util.concurrent.ConcurrentHashMap<>();
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();
    private boolean closing;
    private boolean terminated;
    private long noMemberSince = -1;

    ClusterDispatcher(HazelcastInstance hazelcast, String pool, ClusterKey key, Reducer reducer,
            IExecutorService executor, ReplicatedMap<String, MemberLoad> loads, boolean localFirst,
            Duration noMemberTimeout, ServingMember server) {
        this.hazelcast = hazelcast;
        this.pool = pool;
        this.key = key;
        this.reducer = reducer;
        this.executor = executor;
        this.loads = loads;
        this.localFirst = localFirst;
        this.noMemberTimeout = noMemberTimeout;
        this.server = server;
        this.localUuid = hazelcast.getCluster().getLocalMember().getUuid().toString();
    }

    PoolBackend.Submission submit(SerializableFunction<Object, Object> function, List<Object> items,
            Duration timeout, int retries, PoolBackend.Completion completion) {
        byte[] payload;
        try {
            payload = reducer.dumps(new Object[] {function, new ArrayList<>(items)});
        } catch (ReductionException e) {
            throw new ReductionException("cannot send the task to the cluster: " + e.getMessage(), e);
        }
        Outgoing task = new Outgoing(taskIds.incrementAndGet(), function, new ArrayList<>(items), payload,
                timeout == null ? -1 : timeout.toNanos(), retries, completion);
        synchronized (lock) {
            if (closing || terminated) {
                throw new IllegalStateException("Pool not running: cluster pool '" + pool + "' was "
                        + (terminated ? "terminated" : "shut down") + "; create a new pool to submit more work");
            }
            pending.add(task);
        }
        dispatch();
        return task;
    }

    /** Sends what waits to the members with room; called whenever room may have appeared. */
    void dispatch() {
        List<Send> sends = new ArrayList<>();
        synchronized (lock) {
            if (pending.isEmpty() || terminated) {
                return;
            }
            Map<String, Candidate> candidates = candidates();
            if (candidates.isEmpty()) {
                if (noMemberSince < 0) {
                    noMemberSince = System.nanoTime();
                }
            } else {
                noMemberSince = -1;
            }
            while (!pending.isEmpty()) {
                Candidate target = choose(candidates);
                if (target == null) {
                    break;
                }
                Outgoing task = pending.poll();
                task.member = target.member;
                inFlight.merge(target.uuid, 1, Integer::sum);
                target.mine++;
                sent.add(task);
                sends.add(new Send(task, target.member));
            }
        }
        for (Send send : sends) {
            send(send.task(), send.member());
        }
    }

    private void send(Outgoing task, Member member) {
        if (member.localMember()) {
            runHere(task, member);
            return;
        }
        BatchRequest request = new BatchRequest(pool, localUuid, task.taskId, task.attempt, task.timeoutNanos,
                reducer.name(), task.payload, key);
        sentTo.computeIfAbsent(String.valueOf(member.getAddress()), address -> new AtomicLong()).incrementAndGet();
        Future<BatchReply> future;
        try {
            future = executor.submitToMember(request, member);
        } catch (RuntimeException e) {
            answered(task, member, null, e);
            return;
        }
        task.future = future;
        if (future instanceof CompletableFuture<BatchReply> stage) {
            stage.whenComplete((reply, error) -> answered(task, member, reply, error));
        } else {
            // Hazelcast 5's futures are CompletableFutures; this keeps working if one day they are not.
            CompletableFuture.runAsync(() -> {
                try {
                    answered(task, member, future.get(), null);
                } catch (ExecutionException e) {
                    answered(task, member, null, e.getCause());
                } catch (InterruptedException | CancellationException e) {
                    answered(task, member, null, e);
                }
            });
        }
        if (task.finished.get()) {
            future.cancel(true);
        }
    }

    /**
     * A batch placed on this member runs in its local pool straight away: neither Hazelcast nor the envelope is
     * needed for the member's own work, nor a thread waiting for it.
     */
    private void runHere(Outgoing task, Member member) {
        sentTo.computeIfAbsent(String.valueOf(member.getAddress()), address -> new AtomicLong()).incrementAndGet();
        Duration timeout = task.timeoutNanos < 0 ? null : Duration.ofNanos(task.timeoutNanos);
        AsyncResult<List<Object>> run;
        try {
            run = server.runOwn(task.function, task.items, timeout);
        } catch (IllegalStateException e) {
            settledHere(task, member, () -> {
                synchronized (lock) {
                    notServing.add(localUuid);
                    pending.addFirst(task);
                }
            });
            return;
        }
        task.localRun = run;
        run.toCompletableFuture().whenComplete((results, error) -> settledHere(task, member, () -> {
            if (task.finished.get()) {
                return;
            }
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause()
                    : error;
            if (cause == null) {
                task.finish(results, null);
            } else if (cause instanceof CancellationException) {
                lost(task, member, "this member stopped serving cluster pool '" + pool + "' while it ran the batch",
                        cause);
            } else {
                task.finish(null, naming(member, cause));
            }
        }));
        if (task.finished.get()) {
            run.cancel(true);
        }
    }

    /** The local pool's failure, its message naming this member as a remote member's would. */
    private static RuntimeException naming(Member member, Throwable error) {
        String where = " [on cluster member " + member.getAddress() + "]";
        if (error instanceof WorkerCrashedException crash) {
            return new WorkerCrashedException(crash.getMessage() + where, crash.workerPid(), crash.exitCode(),
                    crash.stderrTail());
        }
        if (error instanceof TaskTimeoutException timeout) {
            return new TaskTimeoutException(timeout.getMessage() + where, timeout.threadDump().orElse(null));
        }
        if (error instanceof TaskFailedException failed) {
            return new TaskFailedException(failed.getMessage() + where, failed.getCause());
        }
        return error instanceof RuntimeException runtime ? runtime
                : new TaskFailedException("the batch failed" + where + ": " + error, error);
    }

    private void settledHere(Outgoing task, Member member, Runnable settle) {
        synchronized (lock) {
            sent.remove(task);
            inFlight.computeIfPresent(member.getUuid().toString(), (ignored, count) -> count > 1 ? count - 1 : null);
        }
        try {
            settle.run();
        } finally {
            dispatch();
            stopIfDone();
        }
    }

    private void answered(Outgoing task, Member member, BatchReply reply, Throwable error) {
        String uuid = member.getUuid().toString();
        synchronized (lock) {
            sent.remove(task);
            inFlight.computeIfPresent(uuid, (ignored, count) -> count > 1 ? count - 1 : null);
        }
        try {
            settle(task, member, reply, error);
        } catch (RuntimeException e) {
            task.finish(null, new TaskFailedException("cluster pool '" + pool + "' could not read the answer of member "
                    + member.getAddress() + ": " + e, e));
        } finally {
            dispatch();
            stopIfDone();
        }
    }

    private void settle(Outgoing task, Member member, BatchReply reply, Throwable error) {
        if (task.finished.get()) {
            return;
        }
        String address = String.valueOf(member.getAddress());
        if (error != null) {
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause()
                    : error;
            lost(task, member, cause instanceof HazelcastInstanceNotActiveException && !hazelcast
                    .getLifecycleService().isRunning() ? "this member's Hazelcast instance stopped"
                    : "member " + address + " left the cluster or could not be reached (" + cause + ")", cause);
            return;
        }
        if (reply.status() == BatchReply.Status.NOT_SERVING) {
            synchronized (lock) {
                notServing.add(member.getUuid().toString());
                pending.addFirst(task);
            }
            return;
        }
        if (!reply.authenticatedBy(key) || reply.taskId() != task.taskId) {
            task.finish(null, new AuthenticationException("member " + address + " answered with bytes this member's "
                    + "cluster key does not authenticate (" + reply.status() + ": " + reply.message() + "); give "
                    + "every member the same cluster key. The answer was not deserialized."));
            return;
        }
        String where = " [on cluster member " + address + "]";
        switch (reply.status()) {
            case SUCCEEDED -> {
                @SuppressWarnings("unchecked")
                List<Object> results = (List<Object>) reducer.loads(reply.payload());
                task.finish(results, null);
            }
            case FAILED -> task.finish(null, new TaskFailedException(reply.message() + where, loadsOrNull(reply)
                    instanceof Throwable cause ? cause : null));
            case TIMED_OUT -> task.finish(null, new TaskTimeoutException(reply.message() + where,
                    loadsOrNull(reply) instanceof ThreadDump dump ? dump : null));
            case WORKER_CRASHED -> task.finish(null, new WorkerCrashedException(reply.message() + where,
                    reply.workerPid(), reply.exitCode(), reply.stderrTail()));
            case REFUSED -> task.finish(null, new AuthenticationException(reply.message()));
            case CANCELLED -> lost(task, member, "member " + address + " stopped serving cluster pool '" + pool
                    + "' while it ran the batch (" + reply.message() + ")", null);
            default -> task.finish(null, new TaskFailedException("unexpected answer " + reply.status() + where));
        }
    }

    private Object loadsOrNull(BatchReply reply) {
        if (reply.payload().length == 0) {
            return null;
        }
        try {
            return reducer.loads(reply.payload());
        } catch (RuntimeException | LinkageError e) {
            return null;
        }
    }

    /** The batch's member is gone: retried elsewhere while the call allows it, failed otherwise. */
    private void lost(Outgoing task, Member member, String why, Throwable cause) {
        synchronized (lock) {
            if (task.attempt < task.retries && !terminated) {
                task.attempt++;
                log.info("cluster pool '{}': {}; batch {} goes to another member (retry {} of {})", pool, why,
                        task.taskId, task.attempt, task.retries);
                pending.addFirst(task);
                return;
            }
        }
        task.finish(null, new MemberLostException("cluster pool '" + pool + "': " + why + "; the batch may or may "
                + "not have run" + (task.retries > 0 ? " (after " + task.retries + " retries)" : "; make the call "
                + "through pool.withRetries(n) when its work may run twice"), String.valueOf(member.getAddress()),
                member.getUuid().toString(), cause));
    }

    /** The serving members with this pool and key, and what this submitter has in flight on each. */
    private Map<String, Candidate> candidates() {
        Map<String, Candidate> candidates = new TreeMap<>();
        for (Member member : hazelcast.getCluster().getMembers()) {
            String uuid = member.getUuid().toString();
            MemberLoad load = loads.get(uuid);
            if (uuid.equals(localUuid)) {
                // This member runs its own batches while its pool runs, also once it takes no others' any more.
                if (!server.serving() || notServing.contains(uuid)) {
                    continue;
                }
                load = new MemberLoad(uuid, "", key.id(), true, server.processes(), server.busy(), 0);
            } else if (load == null || !load.serving() || !key.id().equals(load.keyId()) || load.processes() < 1
                    || notServing.contains(uuid)) {
                continue;
            }
            candidates.put(uuid, new Candidate(uuid, member, load, inFlight.getOrDefault(uuid, 0)));
        }
        return candidates;
    }

    private Candidate choose(Map<String, Candidate> candidates) {
        if (localFirst) {
            Candidate local = candidates.get(localUuid);
            if (local != null && local.mine < local.load.processes()) {
                return local;
            }
        }
        Candidate best = null;
        for (Candidate candidate : candidates.values()) {
            if (candidate.mine >= WINDOW * candidate.load.processes()) {
                continue;
            }
            if (best == null || candidate.loadPerWorker() < best.loadPerWorker()
                    || candidate.loadPerWorker() == best.loadPerWorker() && sentTo(candidate) < sentTo(best)) {
                // On a tie, the member sent the fewest so far: one-at-a-time calls go round the members.
                best = candidate;
            }
        }
        return best;
    }

    private long sentTo(Candidate candidate) {
        return sentTo(String.valueOf(candidate.member.getAddress()));
    }

    /** A member published its load again: it may serve again. */
    void loadPublished(String uuid) {
        synchronized (lock) {
            notServing.remove(uuid);
        }
        dispatch();
    }

    /** Fails what waits when no member has served for {@link #noMemberTimeout}; called by the pool's timer. */
    void tick() {
        dispatch();
        List<Outgoing> expired = new ArrayList<>();
        synchronized (lock) {
            if (noMemberSince >= 0 && !pending.isEmpty()
                    && System.nanoTime() - noMemberSince > noMemberTimeout.toNanos()) {
                expired.addAll(pending);
                pending.clear();
            }
        }
        for (Outgoing task : expired) {
            task.finish(null, new IllegalStateException("no member of the cluster has served cluster pool '" + pool
                    + "' for " + noMemberTimeout.toSeconds() + " s: start the pool on a member (with the same cluster "
                    + "key), or check that the members' local pools run"));
        }
        stopIfDone();
    }

    int inFlight() {
        synchronized (lock) {
            return sent.size();
        }
    }

    int waiting() {
        synchronized (lock) {
            return pending.size();
        }
    }

    /** Batches sent, by the address of the member they went to. */
    Map<String, Long> sentByMember() {
        Map<String, Long> counts = new TreeMap<>();
        sentTo.forEach((member, count) -> counts.put(member, count.get()));
        return counts;
    }

    long sentTo(String address) {
        AtomicLong count = sentTo.get(address);
        return count == null ? 0 : count.get();
    }

    void shutdown() {
        synchronized (lock) {
            closing = true;
        }
        stopIfDone();
    }

    void terminate() {
        List<Outgoing> all = new ArrayList<>();
        synchronized (lock) {
            closing = true;
            terminated = true;
            all.addAll(pending);
            all.addAll(sent);
            pending.clear();
        }
        for (Outgoing task : all) {
            task.finish(null, new IllegalStateException("Pool not running: cluster pool '" + pool
                    + "' was terminated"));
            Future<BatchReply> future = task.future;
            if (future != null) {
                future.cancel(true);
            }
            AsyncResult<List<Object>> run = task.localRun;
            if (run != null) {
                run.cancel(true);
            }
        }
        stopIfDone();
    }

    boolean isRunning() {
        synchronized (lock) {
            return !closing;
        }
    }

    CompletableFuture<Void> whenStopped() {
        return stopped;
    }

    private void stopIfDone() {
        boolean done;
        synchronized (lock) {
            done = closing && pending.isEmpty() && (sent.isEmpty() || terminated);
        }
        if (done) {
            stopped.complete(null);
        }
    }

    private static final class Candidate {
        final String uuid;
        final Member member;
        final MemberLoad load;
        int mine;

        Candidate(String uuid, Member member, MemberLoad load, int mine) {
            this.uuid = uuid;
            this.member = member;
            this.load = load;
            this.mine = mine;
        }

        double loadPerWorker() {
            return (double) Math.max(load.busy(), mine) / load.processes();
        }
    }

    private record Send(Outgoing task, Member member) {
    }

    /** One batch of a call, from its submission until it is settled. */
    final class Outgoing implements PoolBackend.Submission {

        final long taskId;
        final SerializableFunction<Object, Object> function;
        final List<Object> items;
        final byte[] payload;
        final long timeoutNanos;
        final int retries;
        final PoolBackend.Completion completion;
        final AtomicBoolean finished = new AtomicBoolean();
        volatile Member member;
        volatile Future<BatchReply> future;
        volatile AsyncResult<List<Object>> localRun;
        int attempt;

        Outgoing(long taskId, SerializableFunction<Object, Object> function, List<Object> items, byte[] payload,
                long timeoutNanos, int retries, PoolBackend.Completion completion) {
            this.taskId = taskId;
            this.function = function;
            this.items = items;
            this.payload = payload;
            this.timeoutNanos = timeoutNanos;
            this.retries = retries;
            this.completion = completion;
        }

        @Override
        public boolean cancel(boolean stopRunning) {
            synchronized (lock) {
                if (finished.get()) {
                    return false;
                }
                if (!pending.remove(this) && !stopRunning) {
                    return false;
                }
            }
            if (!finish(null, new CancellationException(member == null ? "the task was cancelled before it was sent"
                    : "the task was cancelled on member " + member.getAddress()))) {
                return false;
            }
            Future<BatchReply> sentFuture = future;
            if (sentFuture != null) {
                // Hazelcast interrupts the member's executor thread, which cancels the batch in its local pool.
                sentFuture.cancel(true);
            }
            AsyncResult<List<Object>> run = localRun;
            if (run != null) {
                run.cancel(true);
            }
            stopIfDone();
            return true;
        }

        boolean finish(List<Object> results, RuntimeException error) {
            if (!finished.compareAndSet(false, true)) {
                return false;
            }
            try {
                if (error == null) {
                    completion.succeeded(results);
                } else {
                    completion.failed(error);
                }
            } catch (RuntimeException e) {
                log.warn("cluster pool '{}': a completion of batch {} failed", pool, taskId, e);
            }
            return true;
        }
    }
}
