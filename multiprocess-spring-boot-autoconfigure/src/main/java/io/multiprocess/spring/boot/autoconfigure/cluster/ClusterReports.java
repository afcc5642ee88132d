package io.multiprocess.spring.boot.autoconfigure.cluster;

import io.multiprocess.hazelcast.ClusterMember;
import io.multiprocess.hazelcast.ClusterPool;
import io.multiprocess.spring.boot.autoconfigure.endpoint.MultiprocessEndpoint.ClusterMemberReport;
import io.multiprocess.spring.boot.autoconfigure.endpoint.MultiprocessEndpoint.ClusterReport;
import java.util.List;
import java.util.Map;

/** The cluster section of the {@code multiprocess} endpoint. */
final class ClusterReports {

    private ClusterReports() {
    }

    static ClusterReport of(ClusterPool pool) {
        Map<String, Long> received = pool.tasksReceived();
        List<ClusterMember> members = pool.members();
        List<ClusterMemberReport> reports = members.stream().map(member -> new ClusterMemberReport(member.address(),
                member.uuid(), member.local(), member.serving(), member.processes(), member.busy(),
                member.tasksServed(), member.tasksSent(), received.getOrDefault(member.address(), 0L))).toList();
        String local = members.stream().filter(ClusterMember::local).map(ClusterMember::address).findFirst()
                .orElse(null);
        return new ClusterReport(pool.name(), local, pool.retries(), reports, pool.tasksRefused());
    }
}
