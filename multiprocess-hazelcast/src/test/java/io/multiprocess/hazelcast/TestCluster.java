package io.multiprocess.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import io.multiprocess.BaseContext;
import io.multiprocess.Multiprocess;
import io.multiprocess.ProcessPool;
import io.multiprocess.pool.PoolOptions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * Real Hazelcast members in this JVM, joined over loopback (TCP-IP, no multicast), each with a cluster pool over a
 * local pool of real worker JVMs. A cluster name of its own keeps it apart from any other test's members.
 */
final class TestCluster implements AutoCloseable {

    static final byte[] KEY = "a cluster key for the tests, 32b".getBytes(StandardCharsets.UTF_8);
    /** Each cluster takes the next of these port ranges: a test never joins ports the last one is still closing. */
    private static final int FIRST_PORT = 5901;
    private static final int PORTS = 8;
    private static final int RANGES = 8;
    private static final AtomicInteger CLUSTERS = new AtomicInteger();

    final String clusterName = "multiprocess-test-" + UUID.randomUUID();
    final int firstPort = FIRST_PORT + PORTS * (CLUSTERS.getAndIncrement() % RANGES);
    final List<Member> members = new ArrayList<>();

    /** A member of the test cluster: its Hazelcast instance, its local pool and its cluster pool. */
    record Member(String name, HazelcastInstance hazelcast, BaseContext context, ProcessPool local,
            ClusterPool pool, String address) {

        Set<Long> workerPids() {
            return local.snapshot().workers().stream().map(worker -> worker.pid()).collect(Collectors.toSet());
        }
    }

    /** A member of this cluster on loopback. */
    Config config() {
        return config(clusterName, firstPort);
    }

    static Config config(String clusterName, int firstPort) {
        Config config = ClusterPool.configure(new Config());
        config.setClusterName(clusterName);
        config.setProperty("hazelcast.phone.home.enabled", "false");
        config.setProperty("hazelcast.logging.type", "slf4j");
        config.setProperty("hazelcast.wait.seconds.before.join", "0");
        config.setProperty("hazelcast.max.wait.seconds.before.join", "0");
        config.setProperty("hazelcast.heartbeat.interval.seconds", "1");
        config.setProperty("hazelcast.max.no.heartbeat.seconds", "6");
        config.setProperty("hazelcast.graceful.shutdown.max.wait", "10");
        NetworkConfig network = config.getNetworkConfig();
        network.setPort(firstPort).setPortAutoIncrement(true).setPortCount(PORTS);
        network.getInterfaces().setEnabled(true).addInterface("127.0.0.1");
        JoinConfig join = network.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        for (int port = firstPort; port < firstPort + PORTS; port++) {
            join.getTcpIpConfig().setEnabled(true).addMember("127.0.0.1:" + port);
        }
        return config;
    }

    Member start(String name) {
        return start(name, 1, builder -> builder);
    }

    Member start(String name, int processes, UnaryOperator<ClusterPool.Builder> options) {
        HazelcastInstance hazelcast = Hazelcast.newHazelcastInstance(config().setInstanceName(
                clusterName + "-" + name));
        BaseContext context = Multiprocess.newContext("spawn");
        ProcessPool local = context.pool(PoolOptions.defaults().processes(processes).name(name));
        ClusterPool pool = options.apply(ClusterPool.builder(hazelcast, local).name("work").clusterKey(KEY))
                .build();
        Member member = new Member(name, hazelcast, context, local, pool,
                String.valueOf(hazelcast.getCluster().getLocalMember().getAddress()));
        members.add(member);
        return member;
    }

    /** Waits until every member sees {@code count} serving members. */
    void awaitServing(int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        for (Member member : members) {
            while (member.pool().members().stream().filter(ClusterMember::serving).count() != count) {
                assertThat(System.nanoTime()).as("%s sees %s serving members in 30 s", member.name(), count)
                        .isLessThan(deadline);
                Thread.sleep(20);
            }
        }
    }

    @Override
    public void close() {
        for (Member member : members) {
            member.pool().terminate();
            member.local().terminate();
        }
        for (Member member : members) {
            member.hazelcast().getLifecycleService().terminate();
            member.local().join(Duration.ofSeconds(20));
            member.context().close();
        }
    }
}
