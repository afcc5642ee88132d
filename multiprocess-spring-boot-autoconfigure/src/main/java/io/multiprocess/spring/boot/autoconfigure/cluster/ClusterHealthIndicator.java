package io.multiprocess.spring.boot.autoconfigure.cluster;

import io.multiprocess.hazelcast.ClusterMember;
import io.multiprocess.hazelcast.ClusterPool;
import io.multiprocess.pool.PoolSnapshot;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * The health of this instance's part of the cluster pool ({@code /actuator/health/multiprocessCluster}): UP while it
 * serves, OUT_OF_SERVICE once it was shut down, DOWN when its local pool no longer runs; with the members, how many
 * serve, and each member's workers and load. Other members that do not serve leave it UP: they are theirs to report.
 */
public class ClusterHealthIndicator extends AbstractHealthIndicator {

    private final ClusterPool pool;

    public ClusterHealthIndicator(ClusterPool pool) {
        super("multiprocess cluster pool health check failed");
        this.pool = pool;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        List<ClusterMember> members = pool.members();
        Map<String, Object> byAddress = new LinkedHashMap<>();
        for (ClusterMember member : members) {
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("serving", member.serving());
            detail.put("processes", member.processes());
            detail.put("busy", member.busy());
            detail.put("tasksServed", member.tasksServed());
            byAddress.put(member.address() + (member.local() ? " (this member)" : ""), detail);
        }
        long serving = members.stream().filter(ClusterMember::serving).count();
        builder.withDetail("name", pool.name())
                .withDetail("members", members.size())
                .withDetail("membersServing", serving)
                .withDetail("workersServing", members.stream().filter(ClusterMember::serving)
                        .mapToInt(ClusterMember::processes).sum())
                .withDetail("tasksRefused", pool.tasksRefused())
                .withDetail("byMember", byAddress);
        PoolSnapshot snapshot = pool.snapshot();
        boolean localServes = !members.isEmpty() && members.get(0).local() && members.get(0).serving();
        switch (snapshot.state()) {
            case RUNNING -> {
                if (localServes) {
                    builder.up();
                } else {
                    builder.down().withDetail("reason", "this member does not serve the pool: its local pool does "
                            + "not run, or its load is not published yet");
                }
            }
            case CLOSED -> builder.outOfService();
            default -> builder.down();
        }
    }
}
