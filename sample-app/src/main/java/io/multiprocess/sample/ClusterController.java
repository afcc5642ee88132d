package io.multiprocess.sample;

import io.multiprocess.hazelcast.ClusterMember;
import io.multiprocess.hazelcast.ClusterPool;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * Work spread over every instance of the application, with the {@code cluster} profile: the cluster pool sends the
 * parts to the instances' worker JVMs, this one's included. Without the profile there is no cluster pool and these
 * answer 404.
 */
@RestController
@RequestMapping("/api/cluster")
public class ClusterController {

    private final ObjectProvider<ClusterPool> cluster;

    ClusterController(ObjectProvider<ClusterPool> cluster) {
        this.cluster = cluster;
    }

    /**
     * Counts the primes below {@code limit} in {@code parts} tasks spread over the instances; the answer tells which
     * instance (its pid) and which worker ran how many parts.
     */
    @PostMapping("/primes")
    public Map<String, Object> primes(@RequestParam(defaultValue = "2000000") int limit,
            @RequestParam(defaultValue = "8") int parts) {
        ClusterPool pool = pool();
        long started = System.nanoTime();
        List<long[]> answers = pool.map(part -> new long[] {Work.countPrimes(limit), ProcessHandle.current().pid(),
                ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L)},
                IntStream.range(0, parts).boxed().toList(), 1);
        Map<Long, Integer> partsByInstance = new TreeMap<>();
        Map<Long, Integer> partsByWorker = new TreeMap<>();
        answers.forEach(answer -> {
            partsByInstance.merge(answer[2], 1, Integer::sum);
            partsByWorker.merge(answer[1], 1, Integer::sum);
        });
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("limit", limit);
        body.put("parts", parts);
        body.put("primesEach", answers.get(0)[0]);
        body.put("partsByInstancePid", partsByInstance);
        body.put("partsByWorkerPid", partsByWorker);
        body.put("thisInstancePid", ProcessHandle.current().pid());
        body.put("millis", (System.nanoTime() - started) / 1_000_000);
        return body;
    }

    /** The instances of the cluster, as this one sees them. */
    @GetMapping("/members")
    public List<ClusterMember> members() {
        return pool().members();
    }

    private ClusterPool pool() {
        ClusterPool pool = cluster.getIfAvailable();
        if (pool == null) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, "no cluster pool: start the application with "
                    + "the 'cluster' profile (and MULTIPROCESS_CLUSTER_KEY set)");
        }
        return pool;
    }
}
