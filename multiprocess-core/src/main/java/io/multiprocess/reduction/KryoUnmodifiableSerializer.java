package io.multiprocess.reduction;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.RandomAccess;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Writes the {@code Collections.unmodifiable*} views as a copy of their contents and re-wraps them on read. Kryo
 * has no serializer for them, and its field-by-field fallback cannot build them (their classes are private to
 * java.base and have no no-argument constructor).
 */
final class KryoUnmodifiableSerializer extends Serializer<Object> {

    /** The view kinds, in the order their tags are written; more specific kinds first. */
    private enum Kind {
        NAVIGABLE_MAP, SORTED_MAP, MAP, NAVIGABLE_SET, SORTED_SET, SET, RANDOM_ACCESS_LIST, LIST, COLLECTION
    }

    static final Class<?> COLLECTION_VIEW = Collections.unmodifiableCollection(List.of()).getClass();
    static final Class<?> MAP_VIEW = Collections.unmodifiableMap(Map.of()).getClass();

    @Override
    public void write(Kryo kryo, Output output, Object view) {
        Kind kind = kindOf(view);
        output.writeVarInt(kind.ordinal(), true);
        kryo.writeClassAndObject(output, copy(kind, view));
    }

    @Override
    @SuppressWarnings("unchecked")
    public Object read(Kryo kryo, Input input, Class<?> type) {
        Kind kind = Kind.values()[input.readVarInt(true)];
        Object contents = kryo.readClassAndObject(input);
        return switch (kind) {
            case NAVIGABLE_MAP -> Collections.unmodifiableNavigableMap((NavigableMap<Object, Object>) contents);
            case SORTED_MAP -> Collections.unmodifiableSortedMap((SortedMap<Object, Object>) contents);
            case MAP -> Collections.unmodifiableMap((Map<Object, Object>) contents);
            case NAVIGABLE_SET -> Collections.unmodifiableNavigableSet((NavigableSet<Object>) contents);
            case SORTED_SET -> Collections.unmodifiableSortedSet((SortedSet<Object>) contents);
            case SET -> Collections.unmodifiableSet((Set<Object>) contents);
            case RANDOM_ACCESS_LIST, LIST -> Collections.unmodifiableList((List<Object>) contents);
            case COLLECTION -> Collections.unmodifiableCollection((Collection<Object>) contents);
        };
    }

    private static Kind kindOf(Object view) {
        if (view instanceof NavigableMap) {
            return Kind.NAVIGABLE_MAP;
        } else if (view instanceof SortedMap) {
            return Kind.SORTED_MAP;
        } else if (view instanceof Map) {
            return Kind.MAP;
        } else if (view instanceof NavigableSet) {
            return Kind.NAVIGABLE_SET;
        } else if (view instanceof SortedSet) {
            return Kind.SORTED_SET;
        } else if (view instanceof Set) {
            return Kind.SET;
        } else if (view instanceof RandomAccess) {
            return Kind.RANDOM_ACCESS_LIST;
        } else if (view instanceof List) {
            return Kind.LIST;
        }
        return Kind.COLLECTION;
    }

    // Copies keep order and comparators, so the rebuilt view iterates and sorts like the original.
    @SuppressWarnings("unchecked")
    private static Object copy(Kind kind, Object view) {
        return switch (kind) {
            case NAVIGABLE_MAP, SORTED_MAP -> new TreeMap<>((SortedMap<Object, Object>) view);
            case MAP -> new LinkedHashMap<>((Map<Object, Object>) view);
            case NAVIGABLE_SET, SORTED_SET -> new TreeSet<>((SortedSet<Object>) view);
            case SET -> new LinkedHashSet<>((Set<Object>) view);
            case RANDOM_ACCESS_LIST, COLLECTION -> new ArrayList<>((Collection<Object>) view);
            case LIST -> new LinkedList<>((Collection<Object>) view);
        };
    }
}
