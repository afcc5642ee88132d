package io.multiprocess.spring.boot.autoconfigure.cluster;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.multiprocess.hazelcast.ClusterMember;
import io.multiprocess.hazelcast.ClusterPool;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Meters of the cluster pool (tag {@code pool}: its name on the cluster):
 * <ul>
 *   <li>{@code multiprocess.cluster.members} (gauge, tag {@code state}: all, serving);</li>
 *   <li>{@code multiprocess.cluster.tasks.sent} and {@code multiprocess.cluster.tasks.received} (function counters,
 *       tag {@code member}: the other member's address): batches this member sent to each member, and ran for
 *       each; a member's counters are registered when it joins;</li>
 *   <li>{@code multiprocess.cluster.tasks.refused} (function counter): batches whose envelope the cluster key did not
 *       authenticate.</li>
 * </ul>
 * The counts are the pool's own, counted as batches went and came.
 */
public class ClusterMetrics implements MeterBinder {

    private final ClusterPool pool;
    private final HazelcastInstance hazelcast;
    private final List<MeterRegistry> registries = new CopyOnWriteArrayList<>();
    private final Set<String> bound = ConcurrentHashMap.newKeySet();

    public ClusterMetrics(ClusterPool pool, HazelcastInstance hazelcast) {
        this.pool = pool;
        this.hazelcast = hazelcast;
        hazelcast.getCluster().addMembershipListener(new MembershipListener() {
            @Override
            public void memberAdded(MembershipEvent event) {
                registries.forEach(registry -> bindMember(registry, String.valueOf(event.getMember().getAddress())));
            }

            @Override
            public void memberRemoved(MembershipEvent event) {
            }
        });
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        registries.add(registry);
        String name = pool.name();
        Gauge.builder("multiprocess.cluster.members", pool, p -> p.members().size()).tag("pool", name)
                .tag("state", "all").description("Members of the Hazelcast cluster").register(registry);
        Gauge.builder("multiprocess.cluster.members", pool,
                p -> p.members().stream().filter(ClusterMember::serving).count()).tag("pool", name)
                .tag("state", "serving").description("Members that serve the cluster pool").register(registry);
        FunctionCounter.builder("multiprocess.cluster.tasks.refused", pool, ClusterPool::tasksRefused)
                .tag("pool", name).description("Batches refused: the cluster key did not authenticate them")
                .register(registry);
        hazelcast.getCluster().getMembers().forEach(member -> bindMember(registry,
                String.valueOf(member.getAddress())));
    }

    private void bindMember(MeterRegistry registry, String address) {
        if (!bound.add(System.identityHashCode(registry) + "|" + address)) {
            return;
        }
        String name = pool.name();
        FunctionCounter.builder("multiprocess.cluster.tasks.sent", pool,
                p -> p.tasksSent().getOrDefault(address, 0L)).tag("pool", name).tag("member", address)
                .description("Batches this member sent to the member").register(registry);
        FunctionCounter.builder("multiprocess.cluster.tasks.received", pool,
                p -> p.tasksReceived().getOrDefault(address, 0L)).tag("pool", name).tag("member", address)
                .description("Batches this member ran for the member").register(registry);
    }
}
