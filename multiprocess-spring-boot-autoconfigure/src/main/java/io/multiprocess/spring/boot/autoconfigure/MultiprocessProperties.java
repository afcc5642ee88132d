package io.multiprocess.spring.boot.autoconfigure;

import io.multiprocess.ChildOutput;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * The {@code multiprocess.*} properties: how child JVMs start and what they run with, the primary
 * {@code ProcessPool} ({@code multiprocess.pool}), named pools ({@code multiprocess.pools.<name>}) and named queues
 * ({@code multiprocess.queues.<name>}), the live dashboard ({@code multiprocess.dashboard}) and the cluster pool
 * ({@code multiprocess.cluster}).
 *
 * <pre>
 * multiprocess:
 *   start-method: forkserver
 *   jvm-arguments: [-Xmx512m]
 *   pool:
 *     processes: 4
 *     task-timeout: 2m
 *   pools:
 *     isolated:                 # a ProcessPool bean named "isolated"
 *       processes: 2
 *       jvm-arguments: [-Xmx128m]
 *       max-tasks-per-child: 100
 *   queues:
 *     orders:                   # an MpQueue bean named "orders"
 *       maxsize: 100
 *   dashboard:
 *     enabled: true             # the live page at /multiprocess
 * </pre>
 */
@ConfigurationProperties("multiprocess")
public class MultiprocessProperties {

    /** Whether to auto-configure multiprocess: its context, pools, queues, health, metrics and endpoint. */
    private boolean enabled = true;

    /** How child JVMs start. */
    private StartMethod startMethod = StartMethod.FORKSERVER;

    /** Java executable of child JVMs. The one running this application when not set. */
    private Path executable;

    /**
     * Warm JVMs (forkserver spares) booted when the application has started, after the pools' workers, so that
     * pools created later, and the first replacements of recycled or crashed workers, start at once. Those beyond
     * the one spare forkserver keeps are not replaced once taken. 0 boots none ahead; spawn has none to boot.
     */
    private int prewarm;

    /**
     * Classes loaded and initialized in warm forkserver JVMs before they are handed out. Only used with the
     * forkserver start method.
     */
    private List<String> forkserverPreload = new ArrayList<>();

    /**
     * How values travel between processes: "kryo" (lambdas, records and any class), "java" (JDK serialization),
     * "jackson" (JSON, with a JsonMapper of the library's own, not the application's), or the fully qualified name
     * of a Reducer class with a public no-argument constructor.
     */
    private String reducer = "kryo";

    /** JVM arguments of every child JVM, such as -Xmx512m. Children run the serial collector unless these choose one. */
    private List<String> jvmArguments = new ArrayList<>();

    /** Whether child JVMs start from a class-data archive made once per JDK, JVM arguments and classpath. */
    private boolean startupArchive = true;

    /**
     * Where child JVMs' stdout and stderr go: "log" (each line an event of this application's logging, logger
     * io.multiprocess.worker.<pool>, with the worker's pid, pool and task in the MDC) or "inherit" (straight to this
     * application's stdout and stderr).
     */
    private ChildOutput childOutput = ChildOutput.LOG;

    private final Pool pool = new Pool();

    /** Named pools, each a ProcessPool bean named after its key and injectable with @Qualifier("name"). */
    private Map<String, NamedPool> pools = new LinkedHashMap<>();

    /**
     * Named queues, each an MpQueue bean (a JoinableQueue when joinable) named after its key and injectable with
     * @Qualifier("name").
     */
    private Map<String, Queue> queues = new LinkedHashMap<>();

    private final Dashboard dashboard = new Dashboard();

    /** The cluster pool: the same pool across the instances of the application, on Hazelcast. */
    private final Cluster cluster = new Cluster();

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public StartMethod getStartMethod() {
        return startMethod;
    }

    public void setStartMethod(StartMethod startMethod) {
        this.startMethod = startMethod;
    }

    public Path getExecutable() {
        return executable;
    }

    public void setExecutable(Path executable) {
        this.executable = executable;
    }

    public int getPrewarm() {
        return prewarm;
    }

    public void setPrewarm(int prewarm) {
        this.prewarm = prewarm;
    }

    public List<String> getForkserverPreload() {
        return forkserverPreload;
    }

    public void setForkserverPreload(List<String> forkserverPreload) {
        this.forkserverPreload = forkserverPreload;
    }

    public String getReducer() {
        return reducer;
    }

    public void setReducer(String reducer) {
        this.reducer = reducer;
    }

    public List<String> getJvmArguments() {
        return jvmArguments;
    }

    public void setJvmArguments(List<String> jvmArguments) {
        this.jvmArguments = jvmArguments;
    }

    public boolean isStartupArchive() {
        return startupArchive;
    }

    public void setStartupArchive(boolean startupArchive) {
        this.startupArchive = startupArchive;
    }

    public ChildOutput getChildOutput() {
        return childOutput;
    }

    public void setChildOutput(ChildOutput childOutput) {
        this.childOutput = childOutput;
    }

    public Pool getPool() {
        return pool;
    }

    public Map<String, NamedPool> getPools() {
        return pools;
    }

    public void setPools(Map<String, NamedPool> pools) {
        this.pools = pools;
    }

    public Map<String, Queue> getQueues() {
        return queues;
    }

    public void setQueues(Map<String, Queue> queues) {
        this.queues = queues;
    }

    public Dashboard getDashboard() {
        return dashboard;
    }

    public Cluster getCluster() {
        return cluster;
    }

    /** How child JVMs start; Python's "fork" cannot exist on a JVM. */
    public enum StartMethod {

        /** Warm child JVMs, booted ahead by a server process and handed over at once. */
        FORKSERVER,

        /** A fresh JVM for each process. */
        SPAWN;

        /** The library's name for it, as {@code Multiprocess.newContext} takes it. */
        public String methodName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** A pool: the primary one under {@code multiprocess.pool}, or a named one under {@code multiprocess.pools}. */
    public static class Pool {

        /** Whether to create this pool. */
        private boolean enabled = true;

        /** Number of worker JVMs. One per CPU when not set. */
        private Integer processes;

        /** Tasks (chunks of a map) a worker runs before a fresh JVM replaces it. 0 for no limit. */
        private int maxTasksPerChild;

        /** How long a task may run before its worker is killed and the task fails. No limit when not set. */
        private Duration taskTimeout;

        /** Resident memory above which a worker is replaced after its task. No limit when not set. */
        private DataSize maxWorkerRss;

        /** Used heap above which a worker is replaced after its task. No limit when not set. */
        private DataSize maxWorkerHeap;

        /** JVM arguments of the pool's workers, added after the context's, such as -Xmx2g. */
        private List<String> jvmArguments = new ArrayList<>();

        /**
         * How long queued and running tasks may take to finish at shutdown, once the pool takes no new work; its
         * workers are killed after that.
         */
        private Duration shutdownGracePeriod = Duration.ofSeconds(30);

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public Integer getProcesses() {
            return processes;
        }

        public void setProcesses(Integer processes) {
            this.processes = processes;
        }

        public int getMaxTasksPerChild() {
            return maxTasksPerChild;
        }

        public void setMaxTasksPerChild(int maxTasksPerChild) {
            this.maxTasksPerChild = maxTasksPerChild;
        }

        public Duration getTaskTimeout() {
            return taskTimeout;
        }

        public void setTaskTimeout(Duration taskTimeout) {
            this.taskTimeout = taskTimeout;
        }

        public DataSize getMaxWorkerRss() {
            return maxWorkerRss;
        }

        public void setMaxWorkerRss(DataSize maxWorkerRss) {
            this.maxWorkerRss = maxWorkerRss;
        }

        public DataSize getMaxWorkerHeap() {
            return maxWorkerHeap;
        }

        public void setMaxWorkerHeap(DataSize maxWorkerHeap) {
            this.maxWorkerHeap = maxWorkerHeap;
        }

        public List<String> getJvmArguments() {
            return jvmArguments;
        }

        public void setJvmArguments(List<String> jvmArguments) {
            this.jvmArguments = jvmArguments;
        }

        public Duration getShutdownGracePeriod() {
            return shutdownGracePeriod;
        }

        public void setShutdownGracePeriod(Duration shutdownGracePeriod) {
            this.shutdownGracePeriod = shutdownGracePeriod;
        }
    }

    /**
     * A named pool: the keys of a pool, plus the context settings it may set for itself. Those it leaves unset come
     * from {@code multiprocess.*}; a pool that sets any of them starts its workers from a context of its own.
     */
    public static class NamedPool extends Pool {

        /** How this pool's workers start. multiprocess.start-method when not set. */
        private StartMethod startMethod;

        /** Java executable of this pool's workers. multiprocess.executable when not set. */
        private Path executable;

        /** How values travel to and from this pool's workers. multiprocess.reducer when not set. */
        private String reducer;

        /** Whether this pool's workers start from a class-data archive. multiprocess.startup-archive when not set. */
        private Boolean startupArchive;

        public StartMethod getStartMethod() {
            return startMethod;
        }

        public void setStartMethod(StartMethod startMethod) {
            this.startMethod = startMethod;
        }

        public Path getExecutable() {
            return executable;
        }

        public void setExecutable(Path executable) {
            this.executable = executable;
        }

        public String getReducer() {
            return reducer;
        }

        public void setReducer(String reducer) {
            this.reducer = reducer;
        }

        public Boolean getStartupArchive() {
            return startupArchive;
        }

        public void setStartupArchive(Boolean startupArchive) {
            this.startupArchive = startupArchive;
        }

        /** Whether this pool needs a context of its own. */
        boolean overridesContext() {
            return startMethod != null || executable != null || reducer != null || startupArchive != null;
        }
    }

    /** A named queue. */
    public static class Queue {

        /** Most items the queue holds; a put waits for room beyond that. 0 for unbounded. */
        private int maxsize;

        /** Whether the queue counts unfinished items (a JoinableQueue, with taskDone and join). */
        private boolean joinable;

        public int getMaxsize() {
            return maxsize;
        }

        public void setMaxsize(int maxsize) {
            this.maxsize = maxsize;
        }

        public boolean isJoinable() {
            return joinable;
        }

        public void setJoinable(boolean joinable) {
            this.joinable = joinable;
        }
    }

    /**
     * The live dashboard: a read-only page of every pool's workers, running calls, throughput, latency and recent
     * failures, served by the application itself (a servlet web application with Spring MVC).
     */
    public static class Dashboard {

        /**
         * Whether to serve the dashboard. It shows task failures and thread dumps of the application's workers: put
         * it behind the application's security, as the actuator endpoints.
         */
        private boolean enabled;

        /** Path of the dashboard page; its data is served at the same path plus /data. */
        private String path = "/multiprocess";

        /**
         * How far back the throughput and latency charts go. Kept in memory in at most 120 intervals per pool,
         * whatever the length.
         */
        private Duration history = Duration.ofMinutes(10);

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public String getPath() {
            return path;
        }

        public void setPath(String path) {
            this.path = path;
        }

        public Duration getHistory() {
            return history;
        }

        public void setHistory(Duration history) {
            this.history = history;
        }
    }

    /**
     * The cluster pool ({@code multiprocess-hazelcast} on the classpath): a {@code ClusterPool} bean over the
     * application's {@code HazelcastInstance} and a local pool, so that every instance of the application serves the
     * others' tasks in its own workers.
     */
    public static class Cluster {

        /** Whether to create the cluster pool; it needs a HazelcastInstance bean (spring.hazelcast.config). */
        private boolean enabled;

        /**
         * The secret every instance shares, at least 16 bytes: it authenticates task and result bytes, which are not
         * deserialized otherwise. Unset: the MULTIPROCESS_CLUSTER_KEY environment variable. Keep it out of the jar.
         */
        private String key;

        /** The pool's name on the cluster: instances serve one another when their names match. */
        private String name = "default";

        /** Bean name of the local pool that runs this instance's share; by default the single or primary pool. */
        private String pool;

        /** Whether tasks run on this instance while it has free workers, before the others. */
        private boolean localFirst;

        /**
         * How many times a task whose instance leaves the cluster is sent to another, for every call. 0 fails it
         * with MemberLostException; a call may still ask for retries with ClusterPool.withRetries(n).
         */
        private int retries;

        /** How long tasks wait for a serving instance before they fail. */
        private Duration noMemberTimeout = Duration.ofSeconds(30);

        /**
         * At shutdown, how long this instance's calls in flight get to finish (here or on other instances) before
         * they fail; the others stop sending it tasks at once. Before the local pools stop.
         */
        private Duration shutdownGracePeriod = Duration.ofSeconds(15);

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public String getKey() {
            return key;
        }

        public void setKey(String key) {
            this.key = key;
        }

        public String getName() {
            return name;
        }

        public void setName(String name) {
            this.name = name;
        }

        public String getPool() {
            return pool;
        }

        public void setPool(String pool) {
            this.pool = pool;
        }

        public boolean isLocalFirst() {
            return localFirst;
        }

        public void setLocalFirst(boolean localFirst) {
            this.localFirst = localFirst;
        }

        public int getRetries() {
            return retries;
        }

        public void setRetries(int retries) {
            this.retries = retries;
        }

        public Duration getNoMemberTimeout() {
            return noMemberTimeout;
        }

        public void setNoMemberTimeout(Duration noMemberTimeout) {
            this.noMemberTimeout = noMemberTimeout;
        }

        public Duration getShutdownGracePeriod() {
            return shutdownGracePeriod;
        }

        public void setShutdownGracePeriod(Duration shutdownGracePeriod) {
            this.shutdownGracePeriod = shutdownGracePeriod;
        }
    }
}
