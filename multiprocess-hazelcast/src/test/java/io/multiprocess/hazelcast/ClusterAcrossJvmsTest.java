package io.multiprocess.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import io.multiprocess.AsyncResult;
import io.multiprocess.BaseContext;
import io.multiprocess.MpProcess;
import io.multiprocess.Multiprocess;
import io.multiprocess.ProcessPool;
import io.multiprocess.synchronize.Event;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A member in a JVM of its own (a child process of this test, with its own local pool of worker JVMs) beside a
 * member in this JVM: batches cross a real process boundary over the cluster, and the other JVM's member is then
 * killed with SIGKILL mid-map.
 */
@ExtendWith(NoProcessOutlivesTheTests.class)
@Timeout(180)
class ClusterAcrossJvmsTest {

    private final TestCluster cluster = new TestCluster();
    private final BaseContext context = Multiprocess.newContext("spawn");

    @AfterEach
    void stop() {
        cluster.close();
        context.close();
    }

    @Test
    void aMemberInAnotherJvmServesTheMapAndItsDeathLosesNothingWhenTheCallMayRetry() throws Exception {
        String clusterName = cluster.clusterName;
        int firstPort = cluster.firstPort;
        Event stop = context.event();
        MpProcess other = context.process("cluster-member", () -> {
            HazelcastInstance hazelcast = Hazelcast.newHazelcastInstance(TestCluster.config(clusterName, firstPort));
            try (ProcessPool local = Multiprocess.newContext("spawn").pool(1);
                    ClusterPool pool = ClusterPool.builder(hazelcast, local).name("work")
                            .clusterKey(TestCluster.KEY).build()) {
                stop.await(Duration.ofMinutes(3));
                pool.terminate();
            } finally {
                hazelcast.getLifecycleService().terminate();
            }
        });
        other.start();
        TestCluster.Member here = cluster.start("here");
        cluster.awaitServing(2);

        List<Long> pids = here.pool().map(x -> {
            Thread.sleep(20);
            return ProcessHandle.current().pid();
        }, IntStream.range(0, 20).boxed().toList(), 1);
        Set<Long> otherWorkers = ProcessHandle.of(other.pid()).orElseThrow().descendants().map(ProcessHandle::pid)
                .collect(Collectors.toSet());
        Set<Long> used = new HashSet<>(pids);
        assertThat(used).as("pids that ran the map").containsAll(here.workerPids()).hasSize(2);
        used.removeAll(here.workerPids());
        assertThat(otherWorkers).as("the other JVM's workers").containsAll(used);

        AsyncResult<List<Integer>> retried = here.pool().withRetries(2).mapAsync(x -> {
            Thread.sleep(100);
            return x * x;
        }, IntStream.range(0, 20).boxed().toList(), 1, null, null, null);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (here.pool().tasksSent().keySet().size() < 2 || retried.progress().done() < 2) {
            assertThat(System.nanoTime()).as("the map reached the other JVM").isLessThan(deadline);
            Thread.sleep(20);
        }
        List<ProcessHandle> orphansToBe = ProcessHandle.of(other.pid()).orElseThrow().descendants().toList();
        other.kill();

        assertThat(retried.get()).containsExactlyElementsOf(IntStream.range(0, 20).map(x -> x * x).boxed().toList());
        assertThat(other.join(Duration.ofSeconds(10))).isTrue();
        long gone = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (orphansToBe.stream().anyMatch(ProcessHandle::isAlive)) {
            assertThat(System.nanoTime()).as("the killed member's workers end with it").isLessThan(gone);
            Thread.sleep(50);
        }
        stop.set();
    }
}
