package io.multiprocess.hazelcast;

/**
 * A member of the cluster as one cluster pool sees it, from {@link ClusterPool#members()}.
 *
 * @param uuid the member's Hazelcast UUID
 * @param address the member's address, such as {@code [10.0.0.7]:5701}
 * @param local whether it is this member
 * @param serving whether it runs this pool's batches: it has the pool, its local pool runs, and its cluster key is
 *     this member's
 * @param processes the workers of its local pool
 * @param busy the batches it runs or holds for the cluster now, as it last published
 * @param tasksServed the batches it has run for the cluster
 * @param tasksSent the batches this member has sent it
 */
public record ClusterMember(String uuid, String address, boolean local, boolean serving, int processes, int busy,
        long tasksServed, long tasksSent) {
}
