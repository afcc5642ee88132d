package io.multiprocess.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import io.multiprocess.AsyncResult;
import io.multiprocess.BaseContext;
import io.multiprocess.Multiprocess;
import io.multiprocess.ProcessPool;
import io.multiprocess.errors.AuthenticationException;
import io.multiprocess.function.SerializableFunction;
import io.multiprocess.reduction.Reducer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** Members shut down, terminated, leaving, and with the wrong key, for real, each in a cluster of its own. */
@ExtendWith(NoProcessOutlivesTheTests.class)
@Timeout(180)
class ClusterFailureTest {

    private final TestCluster cluster = new TestCluster();

    @AfterEach
    void stopCluster() {
        cluster.close();
    }

    private static final SerializableFunction<Integer, Integer> SLOW_SQUARE = x -> {
        Thread.sleep(100);
        return x * x;
    };

    private static List<Integer> squares(int count) {
        return IntStream.range(0, count).map(x -> x * x).boxed().toList();
    }

    @Test
    void aMemberShutDownMidMapFailsItsBatchesNamingItOrLosesNothingWhenTheCallMayRetry() throws Exception {
        TestCluster.Member first = cluster.start("first");
        TestCluster.Member second = cluster.start("second");
        TestCluster.Member victim = cluster.start("third");
        cluster.awaitServing(3);

        AsyncResult<List<Integer>> notRetried = first.pool().mapAsync(SLOW_SQUARE,
                IntStream.range(0, 20).boxed().toList(), 1, null, null, null);
        AsyncResult<List<Integer>> retried = second.pool().withRetries(2).mapAsync(SLOW_SQUARE,
                IntStream.range(0, 20).boxed().toList(), 1, null, null, null);
        await(() -> victim.pool().tasksReceived().size() == 2, "the victim received batches from both");
        victim.hazelcast().shutdown();

        Throwable thrown = catchThrowable(notRetried::get);
        assertThat(thrown).isInstanceOf(MemberLostException.class).hasMessageContaining(victim.address())
                .hasMessageContaining("withRetries");
        assertThat(((MemberLostException) thrown).memberAddress()).isEqualTo(victim.address());
        assertThat(retried.get()).containsExactlyElementsOf(squares(20));
    }

    @Test
    void localFirstKeepsOneAtATimeCallsHomeWhileOthersGoRoundTheMembers() throws Exception {
        TestCluster.Member homebody = cluster.start("first", 1, builder -> builder.localFirst(true));
        TestCluster.Member spreader = cluster.start("second");
        cluster.awaitServing(2);

        Set<Long> fromHome = new HashSet<>();
        Set<Long> spread = new HashSet<>();
        for (int i = 0; i < 6; i++) {
            fromHome.add(homebody.pool().apply(() -> ProcessHandle.current().pid()));
            spread.add(spreader.pool().apply(() -> ProcessHandle.current().pid()));
        }
        assertThat(fromHome).containsExactlyElementsOf(homebody.workerPids());
        assertThat(spread).containsAll(homebody.workerPids()).containsAll(spreader.workerPids());
    }

    @Test
    void aMemberThatShutsItsPoolDownTakesNoMoreOfTheOthersWorkAndFinishesItsOwn() throws Exception {
        TestCluster.Member leaving = cluster.start("first");
        TestCluster.Member staying = cluster.start("second");
        cluster.awaitServing(2);

        AsyncResult<List<Integer>> own = leaving.pool().mapAsync(SLOW_SQUARE, IntStream.range(0, 12).boxed().toList(),
                1, null, null, null);
        await(() -> own.progress().done() >= 2, "the leaving member's map is under way");
        leaving.pool().shutdown();
        await(() -> staying.pool().members().stream().filter(ClusterMember::serving).count() == 1,
                "the staying member sees the other stop serving");

        List<Long> pids = staying.pool().map(x -> ProcessHandle.current().pid(), IntStream.range(0, 8).boxed()
                .toList(), 1);
        assertThat(pids).as("no batch of the staying member went to the leaving one").containsOnlyElementsOf(
                staying.workerPids());
        assertThat(own.get()).containsExactlyElementsOf(squares(12));
        assertThat(leaving.pool().join(Duration.ofSeconds(30))).isTrue();
        assertThatThrownBy(() -> leaving.pool().apply(() -> 1)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Pool not running");
    }

    @Test
    void aMemberTerminatedMidMapIsRetriedElsewhereOrNamed() throws Exception {
        TestCluster.Member first = cluster.start("first");
        TestCluster.Member second = cluster.start("second");
        TestCluster.Member victim = cluster.start("third");
        cluster.awaitServing(3);

        AsyncResult<List<Integer>> retried = first.pool().withRetries(3).mapAsync(SLOW_SQUARE,
                IntStream.range(0, 20).boxed().toList(), 1, null, null, null);
        AsyncResult<List<Integer>> notRetried = second.pool().mapAsync(SLOW_SQUARE,
                IntStream.range(0, 20).boxed().toList(), 1, null, null, null);
        await(() -> victim.pool().tasksReceived().size() == 2, "the victim received batches from both");
        victim.hazelcast().getLifecycleService().terminate();

        assertThat(retried.get()).containsExactlyElementsOf(squares(20));
        Throwable thrown = catchThrowable(notRetried::get);
        assertThat(thrown).isInstanceOf(MemberLostException.class);
        assertThat(((MemberLostException) thrown).memberAddress()).isEqualTo(victim.address());
        await(() -> first.pool().members().size() == 2, "the cluster sees two members");
        assertThat(first.pool().map(x -> x + 1, List.of(1, 2, 3), 1)).containsExactly(2, 3, 4);
    }

    @Test
    void aSubmitterThatLeavesHasItsBatchesCancelledOnTheOtherMembers() throws Exception {
        TestCluster.Member submitter = cluster.start("first");
        TestCluster.Member second = cluster.start("second");
        TestCluster.Member third = cluster.start("third");
        cluster.awaitServing(3);

        AsyncResult<List<Integer>> map = submitter.pool().mapAsync(x -> {
            Thread.sleep(60_000);
            return x;
        }, IntStream.range(0, 6).boxed().toList(), 1, null, null, null);
        await(() -> second.local().snapshot().runningTasks() > 0 && third.local().snapshot().runningTasks() > 0,
                "both other members run the submitter's batches");
        long start = System.nanoTime();
        submitter.hazelcast().getLifecycleService().terminate();

        await(() -> second.local().runningCalls().isEmpty() && third.local().runningCalls().isEmpty()
                && second.local().snapshot().runningTasks() == 0 && third.local().snapshot().runningTasks() == 0,
                "the other members stopped the batches of the submitter that left");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
        assertThatThrownBy(() -> map.get(Duration.ofSeconds(20))).as("the submitter's own call ends too")
                .isNotInstanceOf(io.multiprocess.ResultTimeoutException.class);
        assertThat(second.pool().map(x -> x * 3, List.of(1, 2), 1)).containsExactly(3, 6);
    }

    @Test
    void aMemberWithAnotherKeyGetsNoWorkAndAForgedBatchIsRefusedUnread() throws Exception {
        TestCluster.Member first = cluster.start("first");
        TestCluster.Member second = cluster.start("second");
        TestCluster.Member rogue = cluster.start("rogue", 1,
                builder -> builder.clusterKey("another key, not the cluster's".getBytes(StandardCharsets.UTF_8)));
        await(() -> first.hazelcast().getCluster().getMembers().size() == 3
                && first.pool().members().stream().filter(ClusterMember::serving).count() == 2,
                "three members, two serving the pool with the cluster key");

        List<Long> pids = first.pool().map(x -> {
            Thread.sleep(20);
            return ProcessHandle.current().pid();
        }, IntStream.range(0, 12).boxed().toList(), 1);
        assertThat(new HashSet<>(pids)).doesNotContainAnyElementsOf(rogue.workerPids())
                .containsAll(second.workerPids());
        assertThat(first.pool().members()).filteredOn(member -> member.address().equals(rogue.address()))
                .singleElement().matches(member -> !member.serving());

        Reducer reducer = second.local().context().getReducer();
        SerializableFunction<Object, Object> identity = x -> "ran";
        byte[] payload = reducer.dumps(new Object[] {identity, new java.util.ArrayList<>(List.of(new Tripwire()))});
        Tripwire.CREATED.set(0);
        BatchReply forged = send(first, second, new BatchRequest("work", uuid(first), 1, 0, -1, reducer.name(),
                payload, new ClusterKey("another key, not the cluster's".getBytes(StandardCharsets.UTF_8))));
        assertThat(forged.status()).isEqualTo(BatchReply.Status.REFUSED);
        assertThat(Tripwire.CREATED).as("items of a refused batch deserialized in the member").hasValue(0);
        assertThat(second.pool().tasksRefused()).isEqualTo(1);

        BatchReply genuine = send(first, second, new BatchRequest("work", uuid(first), 2, 0, -1, reducer.name(),
                payload, new ClusterKey(TestCluster.KEY)));
        assertThat(genuine.status()).as(genuine.message()).isEqualTo(BatchReply.Status.SUCCEEDED);
        assertThat(Tripwire.CREATED.get()).as("the same bytes, authenticated, are read").isPositive();

        assertThat(rogue.pool().<Long>apply(() -> ProcessHandle.current().pid())).as("the rogue serves only itself")
                .isIn(rogue.workerPids());

        first.hazelcast().getMap("probe").put("item", new Tripwire());
        Tripwire.CREATED.set(0);
        assertThatThrownBy(() -> second.hazelcast().getMap("probe").get("item"))
                .as("Hazelcast's Java deserialization is filtered to JDK and Hazelcast classes")
                .hasStackTraceContaining(Tripwire.class.getName());
        assertThat(Tripwire.CREATED).hasValue(0);
    }

    private static String uuid(TestCluster.Member member) {
        return member.hazelcast().getCluster().getLocalMember().getUuid().toString();
    }

    private static BatchReply send(TestCluster.Member from, TestCluster.Member to, BatchRequest request)
            throws Exception {
        return from.hazelcast().getExecutorService("multiprocess.cluster.work")
                .submitToMember(request, to.hazelcast().getCluster().getLocalMember()).get(30, TimeUnit.SECONDS);
    }

    @Test
    void aBigCallOfOneSubmitterDoesNotHoldBackAnotherSubmitter() throws Exception {
        TestCluster.Member big = cluster.start("first");
        TestCluster.Member small = cluster.start("second");
        cluster.start("third");
        cluster.awaitServing(3);

        AsyncResult<List<Integer>> flood = big.pool().mapAsync(x -> {
            Thread.sleep(100);
            return x;
        }, IntStream.range(0, 45).boxed().toList(), 1, null, null, null);
        await(() -> flood.progress().done() >= 3, "the big call is under way");
        List<Integer> quick = small.pool().map(x -> x, List.of(1, 2, 3), 1);

        assertThat(quick).containsExactly(1, 2, 3);
        assertThat(flood.ready()).as("the big call was still running when the small one ended").isFalse();
        assertThat(flood.get()).hasSize(45);
    }

    @Test
    void anInstanceNotConfiguredForClusterPoolsOrAMissingKeyIsAClearError() {
        Config plain = TestCluster.config(cluster.clusterName + "-plain", cluster.firstPort);
        plain.getSerializationConfig().getDataSerializableFactories().clear();
        HazelcastInstance hazelcast = Hazelcast.newHazelcastInstance(plain);
        BaseContext context = Multiprocess.newContext("spawn");
        ProcessPool local = context.pool(1);
        try {
            assertThatThrownBy(() -> ClusterPool.builder(hazelcast, local).clusterKey(TestCluster.KEY).build())
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("ClusterPool.configure(config)");
            Config configured = ClusterPool.configure(TestCluster.config(cluster.clusterName + "-keyless",
                    cluster.firstPort));
            HazelcastInstance keyless = Hazelcast.newHazelcastInstance(configured);
            try {
                assertThatThrownBy(() -> ClusterPool.create(keyless, local)).isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining(ClusterPool.CLUSTER_KEY_ENVIRONMENT);
                assertThatThrownBy(() -> ClusterPool.builder(keyless, local).clusterKey("short").build())
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 16 bytes");
            } finally {
                keyless.getLifecycleService().terminate();
            }
        } finally {
            hazelcast.getLifecycleService().terminate();
            local.terminate();
            local.join(Duration.ofSeconds(20));
            context.close();
        }
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited 60 s for: %s", what).isLessThan(deadline);
            Thread.sleep(20);
        }
    }
}
