package io.multiprocess.hazelcast;

import io.multiprocess.errors.MultiprocessException;

/**
 * A batch's member left the cluster, or stopped serving the pool, before it answered: the batch may or may not have
 * run. Thrown for a call that was not made through {@link ClusterPool#withRetries(int)}, or whose retries ran out.
 *
 * <pre>{@code
 * try {
 *     pool.map(Prices::reprice, skus);
 * } catch (MemberLostException e) {
 *     log.warn("member {} left during the repricing", e.memberAddress());
 * }
 * }</pre>
 */
public class MemberLostException extends MultiprocessException {

    private static final long serialVersionUID = 1L;

    private final String memberAddress;
    private final String memberUuid;

    public MemberLostException(String message, String memberAddress, String memberUuid, Throwable cause) {
        super(message, cause);
        this.memberAddress = memberAddress;
        this.memberUuid = memberUuid;
    }

    /** The address of the member that was lost, such as {@code [10.0.0.7]:5701}. */
    public String memberAddress() {
        return memberAddress;
    }

    /** The Hazelcast UUID of the member that was lost. */
    public String memberUuid() {
        return memberUuid;
    }
}
