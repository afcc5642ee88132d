package io.multiprocess.spring.boot.autoconfigure.observation;

import io.micrometer.observation.transport.Kind;
import io.micrometer.observation.transport.SenderContext;
import io.multiprocess.pool.TaskOutcome;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the {@code multiprocess.task} observation of one pool task knows: the task is sent to a worker JVM, so the
 * tracing handler writes the trace's headers ({@code traceparent}, {@code baggage}) into this context's carrier,
 * which travels in the task's message.
 */
public class TaskObservationContext extends SenderContext<Map<String, String>> {

    private final String pool;
    private final String kind;
    private final long taskId;
    private final int items;
    private volatile long workerPid = -1;
    private volatile TaskOutcome outcome;
    private volatile Duration queued;
    private volatile Duration running;

    public TaskObservationContext(String pool, String kind, long taskId, int items) {
        super((carrier, key, value) -> carrier.put(key, value), Kind.PRODUCER);
        setCarrier(new LinkedHashMap<>());
        setRemoteServiceName("multiprocess-worker");
        this.pool = pool;
        this.kind = kind;
        this.taskId = taskId;
        this.items = items;
    }

    /** The pool's bean name or {@code PoolOptions.name}. */
    public String getPool() {
        return pool;
    }

    /** The kind of call: {@code apply}, {@code map}, {@code starmap}, {@code imap} or {@code imap_unordered}. */
    public String getCallKind() {
        return kind;
    }

    public long getTaskId() {
        return taskId;
    }

    /** The items of the task: 1 for an apply, the chunk's size for a map. */
    public int getItems() {
        return items;
    }

    /** The worker that ran it, or -1 while queued (or if it never started). */
    public long getWorkerPid() {
        return workerPid;
    }

    void setWorkerPid(long workerPid) {
        this.workerPid = workerPid;
    }

    /** How it ended; null until it has. */
    public TaskOutcome getOutcome() {
        return outcome;
    }

    void setOutcome(TaskOutcome outcome) {
        this.outcome = outcome;
    }

    /** From submission until a worker started it (the whole time, if none did); null until known. */
    public Duration getQueued() {
        return queued;
    }

    void setQueued(Duration queued) {
        this.queued = queued;
    }

    /** From its start on a worker until it ended; null until it has, zero if it never started. */
    public Duration getRunning() {
        return running;
    }

    void setRunning(Duration running) {
        this.running = running;
    }
}
