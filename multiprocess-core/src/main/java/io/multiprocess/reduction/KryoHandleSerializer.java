package io.multiprocess.reduction;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;

/** Sends a {@link SharedHandle} as its token and resolves it on arrival. */
final class KryoHandleSerializer extends Serializer<SharedHandle> {

    @Override
    public void write(Kryo kryo, Output output, SharedHandle handle) {
        kryo.writeClassAndObject(output, handle.token());
    }

    @Override
    public SharedHandle read(Kryo kryo, Input input, Class<? extends SharedHandle> type) {
        return ((HandleToken) kryo.readClassAndObject(input)).resolve();
    }
}
