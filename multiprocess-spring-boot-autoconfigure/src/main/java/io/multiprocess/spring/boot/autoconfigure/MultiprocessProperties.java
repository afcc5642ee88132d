package io.multiprocess.spring.boot.autoconfigure;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * The {@code multiprocess.*} properties: how child JVMs start, what they run with, the {@code ProcessPool} bean and
 * named queues.
 *
 * <pre>
 * multiprocess:
 *   start-method: forkserver
 *   jvm-arguments: [-Xmx512m]
 *   pool:
 *     processes: 4
 *     task-timeout: 2m
 *     max-tasks-per-child: 1000
 *   queues:
 *     orders:
 *       maxsize: 100
 * </pre>
 */
@ConfigurationProperties("multiprocess")
public class MultiprocessProperties {

    /**
     * How child processes start: "forkserver" (warm child JVMs handed over at once; the default) or "spawn" (a fresh
     * JVM for each process). "fork" cannot exist on a JVM.
     */
    private String startMethod = "forkserver";

    /** The java executable of child JVMs. Default: the one running this application. */
    private Path executable;

    /** Classes loaded and initialized in warm forkserver JVMs before they are handed out. */
    private List<String> forkserverPreload = new ArrayList<>();

    /**
     * How values travel between processes: "kryo" (default; lambdas, records, any class), "java" (JDK
     * serialization), "jackson" (JSON, configured from the application's JsonMapper), or the class name of a Reducer.
     */
    private String reducer = "kryo";

    /** JVM arguments of every child JVM, e.g. [-Xmx512m, -XX:+UseSerialGC]. */
    private List<String> jvmArguments = new ArrayList<>();

    /** Whether child JVMs start from a class-data archive made once per JDK, JVM arguments and classpath. */
    private boolean startupArchive = true;

    private final Pool pool = new Pool();

    /** Named queues, available from the MultiprocessQueues bean, e.g. multiprocess.queues.orders.maxsize=100. */
    private Map<String, Queue> queues = new LinkedHashMap<>();

    public String getStartMethod() {
        return startMethod;
    }

    public void setStartMethod(String startMethod) {
        this.startMethod = startMethod;
    }

    public Path getExecutable() {
        return executable;
    }

    public void setExecutable(Path executable) {
        this.executable = executable;
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

    public Pool getPool() {
        return pool;
    }

    public Map<String, Queue> getQueues() {
        return queues;
    }

    public void setQueues(Map<String, Queue> queues) {
        this.queues = queues;
    }

    /** The {@code ProcessPool} bean. */
    public static class Pool {

        /** Whether to create the ProcessPool bean. */
        private boolean enabled = true;

        /** Worker JVMs. Default: the number of CPUs. */
        private Integer processes;

        /** Tasks (chunks) a worker runs before it is replaced by a fresh JVM; 0 for never. */
        private int maxTasksPerChild;

        /** How long a task may run before its worker is killed and the task fails. Default: no limit. */
        private Duration taskTimeout;

        /** A worker whose resident memory exceeds this after a task is replaced. Default: no limit. */
        private DataSize maxWorkerRss;

        /** A worker whose used heap exceeds this after a task is replaced. Default: no limit. */
        private DataSize maxWorkerHeap;

        /** JVM arguments of the pool's workers, after the context's, e.g. [-Xmx2g]. */
        private List<String> jvmArguments = new ArrayList<>();

        /**
         * At shutdown the pool takes no new work and lets queued and running tasks finish for this long; then its
         * workers are killed.
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

    /** A named queue. */
    public static class Queue {

        /** Most items the queue holds; a put waits for room beyond that. 0: unbounded. */
        private int maxsize;

        public int getMaxsize() {
            return maxsize;
        }

        public void setMaxsize(int maxsize) {
            this.maxsize = maxsize;
        }
    }
}
