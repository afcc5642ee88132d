package io.multiprocess.sample;

import io.multiprocess.ProcessPool;
import io.multiprocess.queues.MpQueue;
import io.multiprocess.pool.TaskFailedException;
import io.multiprocess.pool.TaskTimeoutException;
import io.multiprocess.pool.WorkerCrashedException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Work sent to the pool's worker JVMs. Each endpoint shows one reason to use processes: parallel CPU work, a crash
 * that costs one task and not the service, a runaway task that is really stopped.
 */
@RestController
@RequestMapping("/api")
public class WorkController {

    private final ProcessPool pool;
    private final ProcessPool isolated;
    private final MpQueue<String> results;
    private final RecentTasks recent;

    /**
     * @param pool the primary pool, for CPU work
     * @param isolated the small-heap pool for risky work ({@code multiprocess.pools.isolated})
     * @param results a queue hosted by this JVM ({@code multiprocess.queues.results}), which isolated tasks write to
     *     from their worker JVMs
     */
    WorkController(ProcessPool pool, @Qualifier("isolated") ProcessPool isolated,
            @Qualifier("results") MpQueue<String> results, RecentTasks recent) {
        this.pool = pool;
        this.isolated = isolated;
        this.results = results;
        this.recent = recent;
    }

    /**
     * Counts the primes below {@code limit} in a worker JVM. The task is traced: its worker's log line carries this
     * request's {@code traceId}, which the answer shows.
     */
    @PostMapping("/primes")
    public Map<String, Object> primes(@RequestParam(defaultValue = "2000000") int limit) {
        long started = System.nanoTime();
        long[] answer = pool.apply(() -> new long[] {Work.countPrimes(limit), ProcessHandle.current().pid()});
        Map<String, Object> body = new java.util.LinkedHashMap<>(Map.of("limit", limit, "primes", answer[0],
                "workerPid", answer[1], "millis", (System.nanoTime() - started) / 1_000_000));
        String traceId = org.slf4j.MDC.get("traceId");
        if (traceId != null) {
            body.put("traceId", traceId);
        }
        return body;
    }

    /** Counts primes below {@code limit} in {@code parts} tasks spread over the workers. */
    @PostMapping("/primes/parallel")
    public Map<String, Object> primesInParallel(@RequestParam(defaultValue = "2000000") int limit,
            @RequestParam(defaultValue = "8") int parts) {
        long started = System.nanoTime();
        List<Integer> counts = pool.map(part -> Work.countPrimes(limit), IntStream.range(0, parts).boxed().toList(), 1);
        return Map.of("limit", limit, "parts", parts, "primesEach", counts.get(0),
                "millis", (System.nanoTime() - started) / 1_000_000);
    }

    /** A task that takes its worker JVM down: this request fails, the service and the pool go on. */
    @PostMapping("/crash")
    public Map<String, Object> crash() {
        return Map.of("result", pool.apply(Work::crash));
    }

    /** A task that never ends: its worker is killed after {@code seconds} and replaced. */
    @PostMapping("/runaway")
    public Map<String, Object> runaway(@RequestParam(defaultValue = "2") int seconds) {
        return Map.of("result", pool.applyAsync(Work::runaway, Duration.ofSeconds(seconds)).get());
    }

    /**
     * Sleeps {@code millis} in a worker JVM: slow work of a known length, e.g. to watch a graceful shutdown keep a
     * request in flight (bench/run-reliability.sh does).
     */
    @PostMapping("/sleep")
    public Map<String, Object> sleep(@RequestParam(defaultValue = "1000") long millis) {
        long started = System.nanoTime();
        long workerPid = pool.apply(() -> {
            Thread.sleep(millis);
            return ProcessHandle.current().pid();
        });
        return Map.of("millis", (System.nanoTime() - started) / 1_000_000, "workerPid", workerPid);
    }

    /**
     * Allocates {@code megabytes} in a worker of the isolated pool (-Xmx128m): too much ends that task with an
     * OutOfMemoryError in the worker, not in the service. What it did goes to the {@code results} queue.
     */
    @PostMapping("/allocate")
    public Map<String, Object> allocate(@RequestParam(defaultValue = "32") int megabytes) {
        MpQueue<String> log = results;
        long workerPid = isolated.apply(() -> {
            // Relayed into the service's log: logger io.multiprocess.worker.isolated, with pid, pool and task.
            System.out.println("allocating " + megabytes + " MiB");
            byte[][] blocks = new byte[megabytes][];
            for (int i = 0; i < megabytes; i++) {
                blocks[i] = new byte[1 << 20];
            }
            long pid = ProcessHandle.current().pid();
            log.put("worker " + pid + " allocated " + blocks.length + " MiB");
            return pid;
        });
        return Map.of("megabytes", megabytes, "workerPid", workerPid);
    }

    /** What isolated tasks wrote to the {@code results} queue since the last call, oldest first. */
    @GetMapping("/results")
    public List<String> results() {
        List<String> taken = new java.util.ArrayList<>();
        while (taken.size() < 100) {
            var next = results.poll();
            if (next.isEmpty()) {
                break;
            }
            taken.add(next.get());
        }
        return taken;
    }

    /** The last tasks the pools finished, newest first. */
    @GetMapping("/tasks")
    public List<RecentTasks.Finished> tasks() {
        return recent.list();
    }

    @ExceptionHandler(WorkerCrashedException.class)
    ResponseEntity<Map<String, Object>> crashed(WorkerCrashedException e) {
        return ResponseEntity.status(HttpStatus.BAD_GATEWAY).body(Map.of("error", "worker crashed",
                "workerPid", e.workerPid(), "exitCode", e.exitCode(), "stderr", e.stderrTail()));
    }

    @ExceptionHandler(TaskTimeoutException.class)
    ResponseEntity<Map<String, Object>> timedOut(TaskTimeoutException e) {
        return ResponseEntity.status(HttpStatus.GATEWAY_TIMEOUT).body(Map.of("error", "task timed out; its "
                + "worker was killed and replaced", "message", e.getMessage()));
    }

    @ExceptionHandler(TaskFailedException.class)
    ResponseEntity<Map<String, Object>> failed(TaskFailedException e) {
        return ResponseEntity.status(HttpStatus.INTERNAL_SERVER_ERROR).body(Map.of("error", "task failed",
                "message", String.valueOf(e.getMessage())));
    }
}
