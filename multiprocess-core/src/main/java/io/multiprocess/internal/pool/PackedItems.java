package io.multiprocess.internal.pool;

import java.io.Serializable;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.RandomAccess;
import java.util.function.IntFunction;

/**
 * A chunk's items, or its results, as they travel: when all are of one common type (Integer, Long, Double, String,
 * byte[]) one array of that type, else the list itself. A reducer then writes one array rather than each element
 * with its class, which costs little even before the JIT has compiled the reducer: a fresh JVM's first maps and a
 * new worker's first tasks. Records of arrays, so every reducer (Kryo, Java, Jackson) carries them as they are.
 */
public sealed interface PackedItems extends Serializable {

    /** The items, as a list: a view of the array, boxing each element as it is read. */
    List<Object> unpack();

    /** {@code items} in the compact form of their common type, or as they are when they have none. */
    static PackedItems pack(List<?> items) {
        int size = items.size();
        if (size == 0 || !(items instanceof RandomAccess)) {
            return new Mixed(items);
        }
        Object first = items.get(0);
        Class<?> type = first == null ? null : first.getClass();
        for (int i = 1; i < size; i++) {
            Object item = items.get(i);
            if (item == null || item.getClass() != type) {
                return new Mixed(items);
            }
        }
        if (type == Integer.class) {
            int[] values = new int[size];
            for (int i = 0; i < size; i++) {
                values[i] = (Integer) items.get(i);
            }
            return new Ints(values);
        }
        if (type == Long.class) {
            long[] values = new long[size];
            for (int i = 0; i < size; i++) {
                values[i] = (Long) items.get(i);
            }
            return new Longs(values);
        }
        if (type == Double.class) {
            double[] values = new double[size];
            for (int i = 0; i < size; i++) {
                values[i] = (Double) items.get(i);
            }
            return new Doubles(values);
        }
        if (type == String.class) {
            return new Strings(items.toArray(new String[0]));
        }
        if (type == byte[].class) {
            return new Bytes(items.toArray(new byte[0][]));
        }
        return new Mixed(items);
    }

    /** Items of no common type this packs, or with nulls: the list as it is, an ArrayList every reducer carries. */
    record Mixed(List<?> items) implements PackedItems {

        public Mixed {
            // A chunk comes as a view of the call's items, a type no reducer should have to know.
            if (items.getClass() != ArrayList.class) {
                items = new ArrayList<>(items);
            }
        }

        @Override
        @SuppressWarnings("unchecked")
        public List<Object> unpack() {
            return (List<Object>) items;
        }
    }

    record Ints(int[] values) implements PackedItems {

        @Override
        public List<Object> unpack() {
            return new View(values.length, index -> values[index]);
        }
    }

    record Longs(long[] values) implements PackedItems {

        @Override
        public List<Object> unpack() {
            return new View(values.length, index -> values[index]);
        }
    }

    record Doubles(double[] values) implements PackedItems {

        @Override
        public List<Object> unpack() {
            return new View(values.length, index -> values[index]);
        }
    }

    record Strings(String[] values) implements PackedItems {

        @Override
        public List<Object> unpack() {
            return List.of((Object[]) values);
        }
    }

    record Bytes(byte[][] values) implements PackedItems {

        @Override
        public List<Object> unpack() {
            return List.of((Object[]) values);
        }
    }

    /** An unmodifiable list over an array, its elements boxed as they are read. */
    final class View extends AbstractList<Object> implements RandomAccess {

        private final int size;
        private final IntFunction<Object> element;

        View(int size, IntFunction<Object> element) {
            this.size = size;
            this.element = element;
        }

        @Override
        public Object get(int index) {
            Objects.checkIndex(index, size);
            return element.apply(index);
        }

        @Override
        public int size() {
            return size;
        }

        @Override
        public Object[] toArray() {
            Object[] array = new Object[size];
            for (int i = 0; i < size; i++) {
                array[i] = element.apply(i);
            }
            return array;
        }
    }
}
