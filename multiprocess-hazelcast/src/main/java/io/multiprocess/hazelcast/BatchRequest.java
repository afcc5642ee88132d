package io.multiprocess.hazelcast;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import java.io.IOException;
import java.util.concurrent.Callable;

/**
 * A batch sent to a member through the pool's executor service: the reduced function and items, opaque bytes that
 * the member deserializes only when {@link #mac} authenticates them with its cluster key. Runs on the member's
 * executor thread, which waits for its local worker.
 */
final class BatchRequest implements Callable<BatchReply>, IdentifiedDataSerializable, HazelcastInstanceAware {

    private String pool;
    private String submitter;
    private long taskId;
    private int attempt;
    private long timeoutNanos;
    private String reducer;
    private byte[] payload;
    private byte[] mac;
    private transient HazelcastInstance hazelcast;

    BatchRequest() {
    }

    BatchRequest(String pool, String submitter, long taskId, int attempt, long timeoutNanos, String reducer,
            byte[] payload, ClusterKey key) {
        this.pool = pool;
        this.submitter = submitter;
        this.taskId = taskId;
        this.attempt = attempt;
        this.timeoutNanos = timeoutNanos;
        this.reducer = reducer;
        this.payload = payload;
        this.mac = key.mac(macParts());
    }

    /** What the MAC covers: everything the member acts on. */
    byte[][] macParts() {
        return new byte[][] {ClusterKey.bytes(pool), ClusterKey.bytes(submitter), ClusterKey.bytes(taskId),
            ClusterKey.bytes(attempt), ClusterKey.bytes(timeoutNanos), ClusterKey.bytes(reducer), payload};
    }

    @Override
    public BatchReply call() {
        ServingMember server = ServingMember.find(hazelcast, pool);
        if (server == null) {
            return BatchReply.notServing(taskId, "no cluster pool '" + pool + "' serves on this member");
        }
        return server.serve(this);
    }

    @Override
    public void setHazelcastInstance(HazelcastInstance hazelcastInstance) {
        this.hazelcast = hazelcastInstance;
    }

    String pool() {
        return pool;
    }

    String submitter() {
        return submitter;
    }

    long taskId() {
        return taskId;
    }

    int attempt() {
        return attempt;
    }

    long timeoutNanos() {
        return timeoutNanos;
    }

    String reducer() {
        return reducer;
    }

    byte[] payload() {
        return payload;
    }

    byte[] mac() {
        return mac;
    }

    @Override
    public int getFactoryId() {
        return ClusterSerializers.FACTORY_ID;
    }

    @Override
    public int getClassId() {
        return ClusterSerializers.BATCH_REQUEST;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeString(pool);
        out.writeString(submitter);
        out.writeLong(taskId);
        out.writeInt(attempt);
        out.writeLong(timeoutNanos);
        out.writeString(reducer);
        out.writeByteArray(payload);
        out.writeByteArray(mac);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        pool = in.readString();
        submitter = in.readString();
        taskId = in.readLong();
        attempt = in.readInt();
        timeoutNanos = in.readLong();
        reducer = in.readString();
        payload = in.readByteArray();
        mac = in.readByteArray();
    }
}
