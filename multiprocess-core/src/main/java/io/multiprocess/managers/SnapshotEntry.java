package io.multiprocess.managers;

import java.io.Serializable;
import java.util.Map;
import java.util.Objects;

/** An entry of a map's {@code entrySet()} snapshot: reducible by every reducer, read-only. */
record SnapshotEntry<K, V>(K key, V value) implements Map.Entry<K, V>, Serializable {

    @Override
    public K getKey() {
        return key;
    }

    @Override
    public V getValue() {
        return value;
    }

    @Override
    public V setValue(V newValue) {
        throw new UnsupportedOperationException("an entry of a manager map's entrySet() is a copy; put the value "
                + "through the map proxy instead");
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Map.Entry<?, ?> entry && Objects.equals(key, entry.getKey())
                && Objects.equals(value, entry.getValue());
    }

    @Override
    public int hashCode() {
        return Objects.hashCode(key) ^ Objects.hashCode(value);
    }

    @Override
    public String toString() {
        return key + "=" + value;
    }
}
