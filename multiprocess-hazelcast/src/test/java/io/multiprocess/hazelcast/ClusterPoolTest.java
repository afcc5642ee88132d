package io.multiprocess.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.multiprocess.AsyncResult;
import io.multiprocess.ResultIterator;
import io.multiprocess.pool.TaskFailedException;
import io.multiprocess.pool.TaskTimeoutException;
import io.multiprocess.pool.WorkerCrashedException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** Three real members in this JVM, each with a local pool of one worker JVM, sharing one cluster pool. */
@ExtendWith(NoProcessOutlivesTheTests.class)
@Timeout(120)
class ClusterPoolTest {

    private static TestCluster cluster;
    private static TestCluster.Member first;
    private static TestCluster.Member second;
    private static TestCluster.Member third;

    @BeforeAll
    static void startCluster() throws InterruptedException {
        cluster = new TestCluster();
        first = cluster.start("first");
        second = cluster.start("second");
        third = cluster.start("third");
        cluster.awaitServing(3);
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aMapIsRightAndUsesEveryMember() {
        List<long[]> results = first.pool().map(x -> {
            Thread.sleep(30);
            return new long[] {x * x, ProcessHandle.current().pid()};
        }, IntStream.range(0, 30).boxed().toList(), 1);

        assertThat(results).extracting(pair -> pair[0])
                .containsExactlyElementsOf(IntStream.range(0, 30).mapToObj(x -> (long) x * x).toList());
        Set<Long> pids = new HashSet<>();
        results.forEach(pair -> pids.add(pair[1]));
        assertThat(pids).as("the worker pids that ran the map")
                .containsAll(first.workerPids()).containsAll(second.workerPids()).containsAll(third.workerPids())
                .hasSize(3);
        assertThat(first.pool().tasksSent()).containsOnlyKeys(first.address(), second.address(), third.address());
        assertThat(second.pool().tasksReceived()).containsKey(first.address());
    }

    @Test
    void anyMemberSubmitsAndEveryCallKindWorks() {
        assertThat(second.pool().<Long>apply(() -> 6L * 7)).isEqualTo(42L);
        assertThat(third.pool().starmap((String a, Integer b) -> a.repeat(b), List.of(Map.entry("ab", 2),
                Map.entry("c", 3)))).containsExactly("abab", "ccc");
        ResultIterator<Integer> ordered = second.pool().imap(x -> x + 1, List.of(1, 2, 3, 4, 5));
        List<Integer> inOrder = new ArrayList<>();
        ordered.forEachRemaining(inOrder::add);
        assertThat(inOrder).containsExactly(2, 3, 4, 5, 6);
        ResultIterator<Integer> unordered = third.pool().imapUnordered(x -> x * 10, List.of(1, 2, 3, 4), 2);
        List<Integer> anyOrder = new ArrayList<>();
        unordered.forEachRemaining(anyOrder::add);
        assertThat(anyOrder).containsExactlyInAnyOrder(10, 20, 30, 40);

        List<Object> callbacks = new CopyOnWriteArrayList<>();
        AsyncResult<List<Integer>> mapped = first.pool().mapAsync(x -> x * 2, List.of(1, 2, 3), 1, null,
                callbacks::add, callbacks::add);
        assertThat(mapped.get()).containsExactly(2, 4, 6);
        assertThat(mapped.progress().done()).isEqualTo(3);
        assertThat(callbacks).containsExactly(List.of(2, 4, 6));
    }

    @Test
    void aTasksExceptionArrivesWithItsCauseAndTheMember() {
        assertThatThrownBy(() -> first.pool().map(x -> {
            if (x == 3) {
                throw new IllegalArgumentException("no threes");
            }
            return x;
        }, List.of(1, 2, 3, 4), 1))
                .isInstanceOf(TaskFailedException.class)
                .hasMessageContaining("on cluster member")
                .hasRootCauseInstanceOf(IllegalArgumentException.class)
                .rootCause().hasMessage("no threes");
    }

    @Test
    void aWorkerCrashOnAMemberIsAWorkerCrashedExceptionNamingIt() {
        Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() -> second.pool().withRetries(0)
                .map(x -> {
                    Runtime.getRuntime().halt(37);
                    return x;
                }, List.of(1), 1));
        assertThat(thrown).isInstanceOf(WorkerCrashedException.class).hasMessageContaining("on cluster member");
        WorkerCrashedException crash = (WorkerCrashedException) thrown;
        assertThat(crash.exitCode()).isEqualTo(37);
        assertThat(crash.workerPid()).isPositive();
        assertThat(cluster.members.stream().anyMatch(member -> crash.getMessage().contains(member.address())))
                .as("the message names the member: %s", crash.getMessage()).isTrue();
    }

    @Test
    void aTimeoutOnAMemberIsATaskTimeoutExceptionNamingIt() {
        AsyncResult<Object> slow = third.pool().applyAsync(() -> {
            Thread.sleep(30_000);
            return "late";
        }, Duration.ofMillis(500));
        assertThatThrownBy(slow::get).isInstanceOf(TaskTimeoutException.class)
                .hasMessageContaining("on cluster member");
    }

    @Test
    void theMembersViewShowsEveryServingMember() {
        List<ClusterMember> members = first.pool().members();
        assertThat(members).hasSize(3).allMatch(ClusterMember::serving).allMatch(member -> member.processes() == 1);
        assertThat(members.get(0).local()).isTrue();
        assertThat(members.get(0).address()).isEqualTo(first.address());
    }
}
