package io.multiprocess.spring.boot.autoconfigure.endpoint;

import io.multiprocess.BaseContext;
import io.multiprocess.ProcessPool;
import io.multiprocess.diagnostics.AcceptorStats;
import io.multiprocess.pool.PoolSnapshot;
import io.multiprocess.pool.PoolState;
import io.multiprocess.pool.WorkerState;
import io.multiprocess.spring.boot.autoconfigure.MultiprocessQueues;
import io.multiprocess.spring.boot.autoconfigure.RefusedConnections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/**
 * The {@code multiprocess} actuator endpoint ({@code /actuator/multiprocess} once exposed): the start method, the
 * pool with each worker JVM (pid, state, tasks done, uptime, heap used after its last task), the named queues'
 * sizes, and the connections this JVM's sockets accepted and dropped.
 */
@Endpoint(id = "multiprocess")
public class MultiprocessEndpoint {

    private final BaseContext context;
    private final ProcessPool pool;
    private final MultiprocessQueues queues;

    public MultiprocessEndpoint(BaseContext context, ProcessPool pool, MultiprocessQueues queues) {
        this.context = context;
        this.pool = pool;
        this.queues = queues;
    }

    @ReadOperation
    public Report report() {
        Map<String, Integer> sizes = new LinkedHashMap<>();
        if (queues != null) {
            queues.names().forEach(name -> sizes.put(name, queues.queue(name).qsize()));
        }
        return new Report(context.getStartMethod(), pool == null ? null : PoolReport.of(pool.snapshot()), sizes,
                RefusedConnections.open());
    }

    /**
     * What the endpoint returns; {@code connections} has what each open socket of this JVM accepted, authenticated
     * and dropped before authentication, by reason.
     */
    public record Report(String startMethod, PoolReport pool, Map<String, Integer> queues,
            Map<String, AcceptorStats> connections) {
    }

    /** The pool and its workers. */
    public record PoolReport(PoolState state, int processes, int queuedTasks, int runningTasks,
            List<WorkerReport> workers) {

        static PoolReport of(PoolSnapshot snapshot) {
            return new PoolReport(snapshot.state(), snapshot.processes(), snapshot.queuedTasks(),
                    snapshot.runningTasks(), snapshot.workers().stream().map(worker -> new WorkerReport(worker.pid(),
                            worker.state(), worker.tasksDone(), worker.uptime().toMillis(),
                            worker.heapUsedBytes())).toList());
        }
    }

    /** One worker JVM; {@code heapUsedBytes} is -1 before its first task. */
    public record WorkerReport(long pid, WorkerState state, long tasksDone, long uptimeMillis, long heapUsedBytes) {
    }
}
