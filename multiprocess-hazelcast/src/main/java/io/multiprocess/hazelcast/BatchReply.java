package io.multiprocess.hazelcast;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import java.io.IOException;
import java.util.List;

/**
 * A member's answer to a {@link BatchRequest}: the reduced results, or how the batch failed. The submitter
 * deserializes {@link #payload} only when {@link #mac} authenticates the reply with its cluster key and the reply
 * names the task it sent.
 */
final class BatchReply implements IdentifiedDataSerializable {

    /** How a batch ended on its member. */
    enum Status {
        SUCCEEDED, FAILED, TIMED_OUT, WORKER_CRASHED, CANCELLED, REFUSED, NOT_SERVING
    }

    private long taskId;
    private Status status;
    private String member;
    private String message;
    private long workerPid;
    private int exitCode;
    private List<String> stderrTail;
    private byte[] payload;
    private byte[] mac;

    BatchReply() {
    }

    private BatchReply(long taskId, Status status, String member, String message, long workerPid, int exitCode,
            List<String> stderrTail, byte[] payload) {
        this.taskId = taskId;
        this.status = status;
        this.member = member == null ? "" : member;
        this.message = message == null ? "" : message;
        this.workerPid = workerPid;
        this.exitCode = exitCode;
        this.stderrTail = stderrTail == null ? List.of() : List.copyOf(stderrTail);
        this.payload = payload == null ? new byte[0] : payload;
    }

    static BatchReply signed(ClusterKey key, long taskId, Status status, String member, String message,
            long workerPid, int exitCode, List<String> stderrTail, byte[] payload) {
        BatchReply reply = new BatchReply(taskId, status, member, message, workerPid, exitCode, stderrTail, payload);
        reply.mac = key.mac(reply.macParts());
        return reply;
    }

    /** Unsigned: sent by a member without the pool, which has no key; it carries nothing to deserialize. */
    static BatchReply notServing(long taskId, String message) {
        BatchReply reply = new BatchReply(taskId, Status.NOT_SERVING, "", message, 0, 0, List.of(), null);
        reply.mac = new byte[0];
        return reply;
    }

    byte[][] macParts() {
        return new byte[][] {ClusterKey.bytes(taskId), ClusterKey.bytes(status.name()), ClusterKey.bytes(member),
            ClusterKey.bytes(message), ClusterKey.bytes(workerPid), ClusterKey.bytes(exitCode),
            ClusterKey.bytes(String.join("\n", stderrTail)), payload};
    }

    boolean authenticatedBy(ClusterKey key) {
        return key.verify(mac, macParts());
    }

    long taskId() {
        return taskId;
    }

    Status status() {
        return status;
    }

    String member() {
        return member;
    }

    String message() {
        return message;
    }

    long workerPid() {
        return workerPid;
    }

    int exitCode() {
        return exitCode;
    }

    List<String> stderrTail() {
        return stderrTail;
    }

    byte[] payload() {
        return payload;
    }

    @Override
    public int getFactoryId() {
        return ClusterSerializers.FACTORY_ID;
    }

    @Override
    public int getClassId() {
        return ClusterSerializers.BATCH_REPLY;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeLong(taskId);
        out.writeInt(status.ordinal());
        out.writeString(member);
        out.writeString(message);
        out.writeLong(workerPid);
        out.writeInt(exitCode);
        out.writeStringArray(stderrTail.toArray(String[]::new));
        out.writeByteArray(payload);
        out.writeByteArray(mac);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        taskId = in.readLong();
        int ordinal = in.readInt();
        Status[] statuses = Status.values();
        status = ordinal >= 0 && ordinal < statuses.length ? statuses[ordinal] : Status.REFUSED;
        member = in.readString();
        message = in.readString();
        workerPid = in.readLong();
        exitCode = in.readInt();
        String[] tail = in.readStringArray();
        stderrTail = tail == null ? List.of() : List.of(tail);
        payload = in.readByteArray();
        mac = in.readByteArray();
    }
}
