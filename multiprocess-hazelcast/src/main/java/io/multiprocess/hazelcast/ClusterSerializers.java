package io.multiprocess.hazelcast;

import com.hazelcast.nio.serialization.DataSerializableFactory;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;

/**
 * Creates the three envelope classes when Hazelcast reads them: they are {@link IdentifiedDataSerializable}, so
 * no class name crosses the wire and Hazelcast needs no Java serialization (nor reflection) to read them.
 */
final class ClusterSerializers implements DataSerializableFactory {

    /** Ours among the factory ids of the application's Hazelcast configuration. */
    static final int FACTORY_ID = 0x4D50_4301;
    static final int BATCH_REQUEST = 1;
    static final int BATCH_REPLY = 2;
    static final int MEMBER_LOAD = 3;

    @Override
    public IdentifiedDataSerializable create(int typeId) {
        return switch (typeId) {
            case BATCH_REQUEST -> new BatchRequest();
            case BATCH_REPLY -> new BatchReply();
            case MEMBER_LOAD -> new MemberLoad();
            default -> null;
        };
    }
}
