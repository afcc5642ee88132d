package io.multiprocess.hazelcast;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import java.io.IOException;

/**
 * What a member publishes of its part of a cluster pool, in the pool's replicated map: whether it serves, how many
 * workers it has, how many batches it holds now, and the id of its cluster key (members with another key are never
 * sent work). Not authenticated: it carries nothing that is deserialized beyond these numbers.
 */
final class MemberLoad implements IdentifiedDataSerializable {

    private String memberUuid;
    private String address;
    private String keyId;
    private boolean serving;
    private int processes;
    private int busy;
    private long tasksServed;

    MemberLoad() {
    }

    MemberLoad(String memberUuid, String address, String keyId, boolean serving, int processes, int busy,
            long tasksServed) {
        this.memberUuid = memberUuid;
        this.address = address;
        this.keyId = keyId;
        this.serving = serving;
        this.processes = processes;
        this.busy = busy;
        this.tasksServed = tasksServed;
    }

    String memberUuid() {
        return memberUuid;
    }

    String address() {
        return address;
    }

    String keyId() {
        return keyId;
    }

    boolean serving() {
        return serving;
    }

    int processes() {
        return processes;
    }

    int busy() {
        return busy;
    }

    long tasksServed() {
        return tasksServed;
    }

    @Override
    public int getFactoryId() {
        return ClusterSerializers.FACTORY_ID;
    }

    @Override
    public int getClassId() {
        return ClusterSerializers.MEMBER_LOAD;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeString(memberUuid);
        out.writeString(address);
        out.writeString(keyId);
        out.writeBoolean(serving);
        out.writeInt(processes);
        out.writeInt(busy);
        out.writeLong(tasksServed);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        memberUuid = in.readString();
        address = in.readString();
        keyId = in.readString();
        serving = in.readBoolean();
        processes = in.readInt();
        busy = in.readInt();
        tasksServed = in.readLong();
    }
}
