package io.multiprocess.reduction;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.serializers.JavaSerializer;
import com.esotericsoftware.kryo.util.ObjectMap;
import java.io.IOException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectStreamClass;

/**
 * Kryo's {@link JavaSerializer}, for throwables and socket addresses (writes are Kryo's own), reading through a
 * stream with
 * {@link BoundedObjectInputFilter}, whose arrays take their elements from the message's {@link KryoBoundedInput}
 * claims. Kryo's own reading stream has no filter: a corrupt stack trace length would be allocated as read.
 * Classes are resolved with Kryo's class loader.
 */
final class KryoJavaSerializer extends JavaSerializer {

    @Override
    @SuppressWarnings("rawtypes")
    public Object read(Kryo kryo, Input input, Class type) {
        try {
            // One stream per message, as Kryo's write keeps one per message (later objects refer to earlier ones).
            ObjectMap graphContext = kryo.getGraphContext();
            ObjectInputStream stream = (ObjectInputStream) graphContext.get(this);
            if (stream == null) {
                stream = new KryoObjectInputStream(input, kryo);
                graphContext.put(this, stream);
            }
            return stream.readObject();
        } catch (Exception e) {
            throw new KryoException("Error during Java deserialization.", e);
        }
    }

    private static final class KryoObjectInputStream extends ObjectInputStream {
        private final Kryo kryo;

        KryoObjectInputStream(Input input, Kryo kryo) throws IOException {
            super(input);
            this.kryo = kryo;
            setObjectInputFilter(new BoundedObjectInputFilter(input.limit(), new BoundedObjectInputFilter.Budget() {
                @Override
                public long bytesLeft(ObjectInputFilter.FilterInfo info) {
                    return input.limit() - input.position();
                }

                @Override
                public void claim(long count, String subject) {
                    KryoBoundedInput.claim(input, count, "an array");
                }
            }));
        }

        @Override
        protected Class<?> resolveClass(ObjectStreamClass description) throws IOException, ClassNotFoundException {
            try {
                return Class.forName(description.getName(), false, kryo.getClassLoader());
            } catch (ClassNotFoundException e) {
                // Primitive types such as "int" are not loaded by name.
                return super.resolveClass(description);
            }
        }
    }
}
