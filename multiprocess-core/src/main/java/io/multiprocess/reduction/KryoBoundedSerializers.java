package io.multiprocess.reduction;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.serializers.CollectionSerializer;
import com.esotericsoftware.kryo.serializers.DefaultArraySerializers.BooleanArraySerializer;
import com.esotericsoftware.kryo.serializers.DefaultArraySerializers.ObjectArraySerializer;
import com.esotericsoftware.kryo.serializers.DefaultArraySerializers.StringArraySerializer;
import com.esotericsoftware.kryo.serializers.DefaultSerializers.ArraysAsListSerializer;
import com.esotericsoftware.kryo.serializers.DefaultSerializers.PriorityQueueSerializer;
import com.esotericsoftware.kryo.serializers.ImmutableCollectionsSerializers.JdkImmutableListSerializer;
import com.esotericsoftware.kryo.serializers.MapSerializer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Kryo's serializers that allocate by a size read from the message (presized lists and maps, arrays), each with
 * that size checked against the bytes left first ({@link KryoBoundedInput#claim}). They write exactly what Kryo's
 * own write, so only reading changes. {@link #bounded(Serializer)} swaps them in wherever Kryo would pick its own.
 */
final class KryoBoundedSerializers {

    private KryoBoundedSerializers() {
    }

    /** The bounded equivalent of one of Kryo's size-allocating serializers, or {@code serializer} itself. */
    static Serializer<?> bounded(Kryo kryo, Class<?> arrayOrOther, Serializer<?> serializer) {
        Class<?> type = serializer.getClass();
        if (type == CollectionSerializer.class) {
            return new BoundedCollection();
        } else if (type == MapSerializer.class) {
            return new BoundedMap();
        } else if (type == PriorityQueueSerializer.class) {
            return new BoundedPriorityQueue();
        } else if (type == ArraysAsListSerializer.class) {
            return new BoundedArraysAsList();
        } else if (type == JdkImmutableListSerializer.class) {
            return new BoundedImmutableList();
        } else if (type == StringArraySerializer.class) {
            return new BoundedStringArray();
        } else if (type == BooleanArraySerializer.class) {
            return new BoundedBooleanArray();
        } else if (type == ObjectArraySerializer.class) {
            // Its settings (same element type) are derived from the array type by its constructor.
            return new BoundedObjectArray(kryo, arrayOrOther);
        }
        return serializer;
    }

    /** Peeks the "length + 1, or 0 for null" varint that starts an array and claims that many elements. */
    private static void claimArray(Input input, String what) {
        int start = input.position();
        int length = input.readVarInt(true);
        input.setPosition(start);
        if (length > 1) {
            KryoBoundedInput.claim(input, length - 1L, what);
        }
    }

    static final class BoundedCollection extends CollectionSerializer<Collection<Object>> {
        @Override
        protected Collection<Object> create(Kryo kryo, Input input, Class<? extends Collection<Object>> type,
                int size) {
            KryoBoundedInput.claimCollection(input, size, "a collection");
            return super.create(kryo, input, type, size);
        }
    }

    static final class BoundedMap extends MapSerializer<Map<Object, Object>> {
        @Override
        protected Map<Object, Object> create(Kryo kryo, Input input, Class<? extends Map<Object, Object>> type,
                int size) {
            // A key and a value, at least a byte each.
            KryoBoundedInput.claimEntries(input, size);
            return super.create(kryo, input, type, size);
        }
    }

    static final class BoundedPriorityQueue extends PriorityQueueSerializer {
        @Override
        @SuppressWarnings("rawtypes")
        protected PriorityQueue create(Kryo kryo, Input input, Class<? extends PriorityQueue> type, int size) {
            KryoBoundedInput.claimCollection(input, size, "a priority queue");
            return super.create(kryo, input, type, size);
        }
    }

    static final class BoundedArraysAsList extends ArraysAsListSerializer {
        @Override
        @SuppressWarnings("rawtypes")
        protected List create(Kryo kryo, Input input, Class type, int size) {
            KryoBoundedInput.claimCollection(input, size, "a list");
            return super.create(kryo, input, type, size);
        }
    }

    /** As Kryo's serializer for {@code List.of(...)}, whose class is final. */
    static final class BoundedImmutableList extends CollectionSerializer<List<Object>> {
        BoundedImmutableList() {
            setElementsCanBeNull(false);
        }

        @Override
        protected List<Object> create(Kryo kryo, Input input, Class<? extends List<Object>> type, int size) {
            KryoBoundedInput.claimCollection(input, size, "a list");
            return new ArrayList<>(size);
        }

        @Override
        protected List<Object> createCopy(Kryo kryo, List<Object> original) {
            return new ArrayList<>(original.size());
        }

        @Override
        public List<Object> read(Kryo kryo, Input input, Class<? extends List<Object>> type) {
            List<Object> list = super.read(kryo, input, type);
            return list == null ? null : List.of(list.toArray());
        }

        @Override
        public List<Object> copy(Kryo kryo, List<Object> original) {
            return List.copyOf(super.copy(kryo, original));
        }
    }

    static final class BoundedObjectArray extends ObjectArraySerializer {
        BoundedObjectArray(Kryo kryo, Class<?> type) {
            super(kryo, type);
        }

        @Override
        @SuppressWarnings("rawtypes")
        public Object[] read(Kryo kryo, Input input, Class type) {
            claimArray(input, "an array");
            return super.read(kryo, input, type);
        }
    }

    static final class BoundedStringArray extends StringArraySerializer {
        @Override
        @SuppressWarnings("rawtypes")
        public String[] read(Kryo kryo, Input input, Class type) {
            claimArray(input, "a string array");
            return super.read(kryo, input, type);
        }
    }

    static final class BoundedBooleanArray extends BooleanArraySerializer {
        @Override
        @SuppressWarnings("rawtypes")
        public boolean[] read(Kryo kryo, Input input, Class type) {
            claimArray(input, "a boolean array");
            return super.read(kryo, input, type);
        }
    }
}
