package io.multiprocess.hazelcast;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.config.Config;
import com.hazelcast.config.ExecutorConfig;
import com.hazelcast.config.JavaSerializationFilterConfig;
import com.hazelcast.config.SerializationConfig;
import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.EntryListener;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleEvent;
import com.hazelcast.map.MapEvent;
import com.hazelcast.replicatedmap.ReplicatedMap;
import io.multiprocess.Pool;
import io.multiprocess.ProcessPool;
import io.multiprocess.function.SerializableFunction;
import io.multiprocess.pool.PoolBackend;
import io.multiprocess.pool.PoolListener;
import io.multiprocess.pool.PoolOptions;
import io.multiprocess.pool.PoolSnapshot;
import io.multiprocess.pool.PoolState;
import io.multiprocess.pool.PoolTotals;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The same {@link Pool} across the members of a Hazelcast cluster: every member that runs a cluster pool of the
 * same name (with the same cluster key) serves its batches in the worker JVMs of its own {@link ProcessPool}, and
 * any of them can submit. Crash isolation, timeouts, recycling and memory limits are the local pools' own.
 *
 * <pre>{@code
 * Config config = ClusterPool.configure(new Config());        // before the instance starts, on every member
 * HazelcastInstance hazelcast = Hazelcast.newHazelcastInstance(config);
 * try (ProcessPool local = Multiprocess.getContext().pool(4);
 *      ClusterPool pool = ClusterPool.builder(hazelcast, local).clusterKey(secret).build()) {
 *     List<Long> counts = pool.map(Primes::count, ranges);     // chunks spread over the members' workers
 *     Report report = pool.withRetries(2).apply(() -> Report.build(day));   // idempotent: may run again elsewhere
 * }
 * }</pre>
 *
 * <p>Failure semantics. A member that leaves or dies fails the batches it held with {@link MemberLostException}
 * naming it, or, for a call made through {@link #withRetries(int)}, sends them to another member at most that many
 * times. A worker crash or timeout on a member arrives as the same {@code WorkerCrashedException} or
 * {@code TaskTimeoutException}, its message naming the member. A submitter that leaves has its batches cancelled
 * on the other members. When no member has served for {@link Builder#noMemberTimeout(Duration)}, waiting batches
 * fail; nothing waits forever.
 *
 * <p>Trust. Task and result bytes travel in envelopes authenticated with the cluster key (HMAC-SHA256) and are
 * deserialized only when authenticated; Hazelcast's open-source edition does not authenticate members itself.
 * {@link #configure(Config)} also turns on Hazelcast's Java deserialization filter. Every member runs the same
 * application jar: a batch names classes that must exist there.
 *
 * <p>{@link #shutdown()} or {@link #close()} stop this member's part: it takes no more batches of other members
 * at once (they go elsewhere), it submits no more, and its calls in flight finish, here or elsewhere; it serves the
 * batches it already holds until its local pool stops. The local pool is the caller's to close.
 */
public final class ClusterPool extends Pool {

    /** The environment variable {@link #create} reads the cluster key from. */
    public static final String CLUSTER_KEY_ENVIRONMENT = "MULTIPROCESS_CLUSTER_KEY";
    /** The system property {@link #create} reads the cluster key from when the environment has none. */
    public static final String CLUSTER_KEY_PROPERTY = "multiprocess.cluster.key";

    private final Node node;
    private final int retries;

    private ClusterPool(Node node, int retries) {
        super(node.options, new Backend(node, retries));
        this.node = node;
        this.retries = retries;
    }

    /**
     * A cluster pool named after the local pool (or {@code "default"}), with the cluster key of the environment
     * variable {@value #CLUSTER_KEY_ENVIRONMENT} or else the system property {@value #CLUSTER_KEY_PROPERTY}.
     *
     * @throws IllegalStateException when neither gives a key, or when {@code hazelcast} was not configured with
     *     {@link #configure(Config)}
     */
    public static ClusterPool create(HazelcastInstance hazelcast, ProcessPool local) {
        return builder(hazelcast, local).build();
    }

    /** A builder of a cluster pool over {@code hazelcast} that runs batches in {@code local}. */
    public static Builder builder(HazelcastInstance hazelcast, ProcessPool local) {
        return new Builder(hazelcast, local);
    }

    /**
     * Prepares a Hazelcast configuration for cluster pools, before its instance starts, on every member: registers
     * the envelope classes' factory, turns on Hazelcast's Java deserialization filter (JDK and Hazelcast classes only)
     * unless the configuration has one, and sizes the executors of cluster pools for threads that wait for workers.
     *
     * @return {@code config}
     */
    public static Config configure(Config config) {
        SerializationConfig serialization = config.getSerializationConfig();
        if (!serialization.getDataSerializableFactories().containsKey(ClusterSerializers.FACTORY_ID)
                && !serialization.getDataSerializableFactoryClasses().containsKey(ClusterSerializers.FACTORY_ID)) {
            serialization.addDataSerializableFactory(ClusterSerializers.FACTORY_ID, new ClusterSerializers());
        }
        if (serialization.getJavaSerializationFilterConfig() == null) {
            serialization.setJavaSerializationFilterConfig(new JavaSerializationFilterConfig());
        }
        if (config.findExecutorConfig(EXECUTOR_PREFIX + "x").getName().equals("default")) {
            // A batch holds an executor thread while its worker runs it, so the threads bound the batches a
            // member takes at once from all submitters, not the CPU.
            config.addExecutorConfig(new ExecutorConfig(EXECUTOR_PREFIX + "*").setPoolSize(64));
        }
        return config;
    }

    private static final String EXECUTOR_PREFIX = "multiprocess.cluster.";

    /**
     * This pool, for calls whose work may run more than once: a batch whose member is lost goes to another member,
     * at most {@code maxRetries} times. Shares everything else with this pool; shutting either down stops both.
     */
    public ClusterPool withRetries(int maxRetries) {
        if (maxRetries < 0) {
            throw new IllegalArgumentException("maxRetries must be 0 or more, got " + maxRetries);
        }
        return new ClusterPool(node, maxRetries);
    }

    /** How many times a batch of this pool's calls is sent again when its member is lost. */
    public int retries() {
        return retries;
    }

    /** The pool's name: members serve one another's batches when their pools have the same name. */
    public String name() {
        return node.name;
    }

    /** The local pool that runs this member's share. */
    public ProcessPool localPool() {
        return node.local;
    }

    /** The members of the cluster, with what each publishes of this pool; this member first. */
    public List<ClusterMember> members() {
        return node.members();
    }

    /** Batches this member has sent, by the address of the member they went to. */
    public Map<String, Long> tasksSent() {
        return node.dispatcher.sentByMember();
    }

    /** Batches this member has run for the cluster, by the address of the member that sent them. */
    public Map<String, Long> tasksReceived() {
        return node.server.receivedBySubmitter();
    }

    /** Batches this member refused because their envelope was not authenticated by the cluster key. */
    public long tasksRefused() {
        return node.server.refused();
    }

    /** Builds a {@link ClusterPool}. */
    public static final class Builder {

        private final HazelcastInstance hazelcast;
        private final ProcessPool local;
        private String name;
        private byte[] clusterKey;
        private boolean localFirst;
        private int retries;
        private Duration noMemberTimeout = Duration.ofSeconds(30);
        private Duration taskTimeout;

        private Builder(HazelcastInstance hazelcast, ProcessPool local) {
            this.hazelcast = Objects.requireNonNull(hazelcast, "hazelcast");
            this.local = Objects.requireNonNull(local, "local");
            this.taskTimeout = local.options().taskTimeout();
        }

        /** The pool's name on the cluster; by default the local pool's name, or {@code "default"}. */
        public Builder name(String poolName) {
            this.name = poolName;
            return this;
        }

        /** The secret every member shares, at least 16 bytes; by default read as {@link ClusterPool#create} does. */
        public Builder clusterKey(byte[] key) {
            this.clusterKey = key.clone();
            return this;
        }

        /** The secret every member shares, as text of at least 16 bytes in UTF-8. */
        public Builder clusterKey(String key) {
            return clusterKey(key.getBytes(StandardCharsets.UTF_8));
        }

        /** Whether batches run on this member while it has free workers, before others; by default they spread. */
        public Builder localFirst(boolean first) {
            this.localFirst = first;
            return this;
        }

        /** How many times a batch is sent again when its member is lost, for every call; by default 0. */
        public Builder retries(int maxRetries) {
            if (maxRetries < 0) {
                throw new IllegalArgumentException("retries must be 0 or more, got " + maxRetries);
            }
            this.retries = maxRetries;
            return this;
        }

        /** How long batches wait for a serving member before they fail; by default 30 seconds. */
        public Builder noMemberTimeout(Duration timeout) {
            this.noMemberTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** The default timeout of a task, enforced on the member that runs it; by default the local pool's. */
        public Builder taskTimeout(Duration timeout) {
            this.taskTimeout = timeout;
            return this;
        }

        /**
         * Starts this member's part: it serves the pool's batches and may submit.
         *
         * @throws IllegalStateException when the key is missing, the configuration lacks {@link #configure}, or a
         *     cluster pool of this name already runs on this Hazelcast instance
         */
        public ClusterPool build() {
            SerializationConfig serialization = hazelcast.getConfig().getSerializationConfig();
            if (!serialization.getDataSerializableFactories().containsKey(ClusterSerializers.FACTORY_ID)
                    && !serialization.getDataSerializableFactoryClasses()
                            .containsKey(ClusterSerializers.FACTORY_ID)) {
                throw new IllegalStateException("Hazelcast instance '" + hazelcast.getName() + "' cannot carry "
                        + "cluster pool envelopes: prepare its Config with ClusterPool.configure(config) before "
                        + "the instance starts, on every member (the Spring Boot starter does it)");
            }
            byte[] key = clusterKey != null ? clusterKey : keyFromEnvironment();
            String poolName = name != null ? name : local.options().name() != null ? local.options().name()
                    : "default";
            Node node = new Node(hazelcast, poolName, new ClusterKey(key), local, localFirst, noMemberTimeout,
                    local.options().name(poolName).taskTimeout(taskTimeout));
            node.start();
            return new ClusterPool(node, retries);
        }

        private static byte[] keyFromEnvironment() {
            String text = System.getenv(CLUSTER_KEY_ENVIRONMENT);
            if (text == null || text.isEmpty()) {
                text = System.getProperty(CLUSTER_KEY_PROPERTY);
            }
            if (text == null || text.isEmpty()) {
                throw new IllegalStateException("a cluster pool needs a cluster key shared by every member: set "
                        + CLUSTER_KEY_ENVIRONMENT + " (or -D" + CLUSTER_KEY_PROPERTY + ") to the same secret of at "
                        + "least 16 bytes on every member, or call ClusterPool.builder(...).clusterKey(...)");
            }
            return text.getBytes(StandardCharsets.UTF_8);
        }
    }

    /** What all views of one cluster pool share: this member's serving and submitting sides. */
    private static final class Node {

        private static final Logger log = LoggerFactory.getLogger(ClusterPool.class);

        final HazelcastInstance hazelcast;
        final String name;
        final ClusterKey key;
        final ProcessPool local;
        final PoolOptions options;
        final ReplicatedMap<String, MemberLoad> loads;
        final ServingMember server;
        final ClusterDispatcher dispatcher;
        final String localUuid;
        final String address;
        private final ScheduledThreadPoolExecutor timer;
        private final AtomicBoolean publishQueued = new AtomicBoolean();
        private final CompletableFuture<Void> stopped = new CompletableFuture<>();
        private final List<UUID> registrations = new ArrayList<>();
        private UUID lifecycleRegistration;
        private volatile MemberLoad lastPublished;

        Node(HazelcastInstance hazelcast, String name, ClusterKey key, ProcessPool local, boolean localFirst,
                Duration noMemberTimeout, PoolOptions options) {
            this.hazelcast = hazelcast;
            this.name = name;
            this.key = key;
            this.local = local;
            this.options = options;
            Member localMember = hazelcast.getCluster().getLocalMember();
            this.localUuid = localMember.getUuid().toString();
            this.address = String.valueOf(localMember.getAddress());
            this.loads = hazelcast.getReplicatedMap(EXECUTOR_PREFIX + name + ".members");
            this.server = new ServingMember(hazelcast, name, key, local, this::loadChanged);
            this.dispatcher = new ClusterDispatcher(hazelcast, name, key, local.context().getReducer(),
                    hazelcast.getExecutorService(EXECUTOR_PREFIX + name), loads, localFirst, noMemberTimeout,
                    server);
            this.timer = new ScheduledThreadPoolExecutor(1, runnable -> {
                Thread thread = new Thread(runnable, "multiprocess-cluster-" + name);
                thread.setDaemon(true);
                return thread;
            });
            timer.setRemoveOnCancelPolicy(true);
        }

        void start() {
            server.start();
            registrations.add(loads.addEntryListener(new LoadListener()));
            registrations.add(hazelcast.getCluster().addMembershipListener(new MembershipListener() {
                @Override
                public void memberAdded(MembershipEvent event) {
                    publish();
                    dispatcher.dispatch();
                }

                @Override
                public void memberRemoved(MembershipEvent event) {
                    if (hazelcast.getLifecycleService().isRunning()) {
                        loads.remove(event.getMember().getUuid().toString());
                    }
                    dispatcher.dispatch();
                }
            }));
            lifecycleRegistration = hazelcast.getLifecycleService().addLifecycleListener(event -> {
                if (event.getState() == LifecycleEvent.LifecycleState.SHUTTING_DOWN) {
                    log.info("cluster pool '{}': the Hazelcast instance of this member is stopping; this member's "
                            + "part of the pool stops", name);
                    stopNow();
                }
            });
            publish();
            timer.scheduleWithFixedDelay(this::tick, 500, 500, TimeUnit.MILLISECONDS);
            dispatcher.whenStopped().thenRun(() -> {
                server.stop(false);
                finish();
            });
        }

        private void tick() {
            try {
                MemberLoad now = currentLoad();
                MemberLoad last = lastPublished;
                if (last == null || last.serving() != now.serving() || last.busy() != now.busy()
                        || last.processes() != now.processes()) {
                    publish();
                }
                dispatcher.tick();
            } catch (RuntimeException e) {
                if (hazelcast.getLifecycleService().isRunning()) {
                    log.warn("cluster pool '{}': its timer failed once and goes on", name, e);
                }
            }
        }

        void loadChanged() {
            if (publishQueued.compareAndSet(false, true)) {
                try {
                    timer.schedule(() -> {
                        publishQueued.set(false);
                        publish();
                    }, 20, TimeUnit.MILLISECONDS);
                } catch (java.util.concurrent.RejectedExecutionException e) {
                    publishQueued.set(false);
                }
            }
        }

        private MemberLoad currentLoad() {
            return new MemberLoad(localUuid, address, key.id(), server.takingOthers() && !stopped.isDone(),
                    server.processes(), server.busy(), server.served());
        }

        private void publish() {
            if (!hazelcast.getLifecycleService().isRunning()) {
                return;
            }
            try {
                MemberLoad load = currentLoad();
                loads.put(localUuid, load);
                lastPublished = load;
            } catch (RuntimeException e) {
                if (hazelcast.getLifecycleService().isRunning()) {
                    log.warn("cluster pool '{}' could not publish this member's load: {}", name, e.toString());
                }
            }
        }

        List<ClusterMember> members() {
            List<ClusterMember> members = new ArrayList<>();
            for (Member member : hazelcast.getCluster().getMembers()) {
                String uuid = member.getUuid().toString();
                MemberLoad load = loads.get(uuid);
                String memberAddress = String.valueOf(member.getAddress());
                boolean serving = load != null && load.serving() && key.id().equals(load.keyId());
                ClusterMember view = new ClusterMember(uuid, memberAddress, uuid.equals(localUuid), serving,
                        load == null ? 0 : load.processes(), load == null ? 0 : load.busy(),
                        load == null ? 0 : load.tasksServed(), dispatcher.sentTo(memberAddress));
                if (view.local()) {
                    members.add(0, view);
                } else {
                    members.add(view);
                }
            }
            return members;
        }

        int processes() {
            int total = 0;
            for (ClusterMember member : members()) {
                if (member.serving()) {
                    total += member.processes();
                }
            }
            return Math.max(total, local.options().processes());
        }

        void shutdown() {
            server.stopTakingOthers();
            publish();
            dispatcher.shutdown();
        }

        void terminate() {
            server.stop(true);
            dispatcher.terminate();
        }

        private void stopNow() {
            server.stop(true);
            dispatcher.terminate();
        }

        private void finish() {
            if (!stopped.complete(null)) {
                return;
            }
            timer.shutdownNow();
            if (hazelcast.getLifecycleService().isRunning()) {
                try {
                    loads.remove(localUuid);
                    for (UUID registration : registrations) {
                        loads.removeEntryListener(registration);
                        hazelcast.getCluster().removeMembershipListener(registration);
                    }
                    hazelcast.getLifecycleService().removeLifecycleListener(lifecycleRegistration);
                } catch (RuntimeException e) {
                    log.debug("cluster pool '{}': cleaning up after it stopped: {}", name, e.toString());
                }
            }
        }

        private final class LoadListener implements EntryListener<String, MemberLoad> {

            @Override
            public void entryAdded(EntryEvent<String, MemberLoad> event) {
                dispatcher.loadPublished(event.getKey());
            }

            @Override
            public void entryUpdated(EntryEvent<String, MemberLoad> event) {
                dispatcher.loadPublished(event.getKey());
            }

            @Override
            public void entryRemoved(EntryEvent<String, MemberLoad> event) {
                dispatcher.dispatch();
            }

            @Override
            public void entryEvicted(EntryEvent<String, MemberLoad> event) {
                dispatcher.dispatch();
            }

            @Override
            public void entryExpired(EntryEvent<String, MemberLoad> event) {
                dispatcher.dispatch();
            }

            @Override
            public void mapCleared(MapEvent event) {
                dispatcher.dispatch();
            }

            @Override
            public void mapEvicted(MapEvent event) {
                dispatcher.dispatch();
            }
        }
    }

    /** The {@link PoolBackend} of one view: the node's dispatcher, with the view's retries. */
    private static final class Backend implements PoolBackend {

        private final Node node;
        private final int retries;

        Backend(Node node, int retries) {
            this.node = node;
            this.retries = retries;
        }

        @Override
        public Submission submit(SerializableFunction<Object, Object> function, List<Object> items,
                Duration timeout, Completion completion) {
            return node.dispatcher.submit(function, items, timeout, retries, completion);
        }

        @Override
        public int processes() {
            return node.processes();
        }

        @Override
        public void shutdown() {
            node.shutdown();
        }

        @Override
        public void terminate() {
            node.terminate();
        }

        @Override
        public boolean isRunning() {
            return node.dispatcher.isRunning();
        }

        @Override
        public CompletableFuture<Void> whenStopped() {
            return node.stopped;
        }

        @Override
        public PoolSnapshot snapshot() {
            PoolSnapshot local = node.local.snapshot();
            PoolState state = node.stopped.isDone() ? PoolState.TERMINATED
                    : node.dispatcher.isRunning() ? local.state() : PoolState.CLOSED;
            return new PoolSnapshot(state, node.processes(), local.workers(), node.dispatcher.waiting(),
                    node.dispatcher.inFlight(), local.consecutiveCrashes(), local.replacementBackoff());
        }

        @Override
        public PoolTotals totals() {
            return node.local.totals();
        }

        @Override
        public void addListener(PoolListener listener) {
            node.local.addListener(listener);
        }

        @Override
        public void removeListener(PoolListener listener) {
            node.local.removeListener(listener);
        }
    }
}
