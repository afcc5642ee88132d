package io.multiprocess.reduction;

import java.io.Serializable;
import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds the first object in a graph that JDK serialization would reject, and the field path to it, for error
 * messages. Best effort: it follows the fields JDK serialization would write (non-static, non-transient), the
 * elements of collections, maps and arrays, and the captured values of lambdas; fields of JDK classes it cannot
 * open are skipped.
 */
final class NonSerializableFinder {

    /** The non-serializable type and the path from the root to it, e.g. ["Task.config", "Config.socket"]. */
    record Found(Class<?> type, List<String> path) {
    }

    private final Set<Object> visited = Collections.newSetFromMap(new IdentityHashMap<>());
    private final List<String> path = new ArrayList<>();

    private NonSerializableFinder() {
    }

    /** The first non-serializable object reachable from {@code root}, or null if none was found. */
    static Found find(Object root) {
        return new NonSerializableFinder().visit(root);
    }

    private Found visit(Object value) {
        if (value == null || value instanceof SharedHandle || !visited.add(value)) {
            // A shared handle travels as its token, whatever its own fields are.
            return null;
        }
        Class<?> type = value.getClass();
        if (!(value instanceof Serializable)) {
            return new Found(type, List.copyOf(path));
        }
        String owner = ReductionFailures.shortName(type.getName());
        if (SerializedLambdas.isLambda(type)) {
            Object[] captured = SerializedLambdas.capturedArgs(SerializedLambdas.serialize(value));
            for (int i = 0; i < captured.length; i++) {
                Found found = visitChild(owner + ".arg$" + (i + 1), captured[i]);
                if (found != null) {
                    return found;
                }
            }
            return null;
        }
        if (type.isArray()) {
            if (type.getComponentType().isPrimitive()) {
                return null;
            }
            for (int i = 0; i < Array.getLength(value); i++) {
                Found found = visitChild(owner + "[" + i + "]", Array.get(value, i));
                if (found != null) {
                    return found;
                }
            }
            return null;
        }
        if (value instanceof Collection<?> collection) {
            int i = 0;
            for (Object element : collection) {
                Found found = visitChild(owner + "[" + i++ + "]", element);
                if (found != null) {
                    return found;
                }
            }
            return null;
        }
        if (value instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                Found found = visitChild(owner + "[key " + entry.getKey() + "]", entry.getKey());
                if (found == null) {
                    found = visitChild(owner + "[" + entry.getKey() + "]", entry.getValue());
                }
                if (found != null) {
                    return found;
                }
            }
            return null;
        }
        return visitFields(value, type);
    }

    private Found visitFields(Object value, Class<?> type) {
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field field : c.getDeclaredFields()) {
                int modifiers = field.getModifiers();
                if (Modifier.isStatic(modifiers) || Modifier.isTransient(modifiers) || field.getType().isPrimitive()
                        || !field.trySetAccessible()) {
                    continue;
                }
                Found found;
                try {
                    found = visitChild(ReductionFailures.shortName(c.getName()) + "." + field.getName(),
                            field.get(value));
                } catch (IllegalAccessException e) {
                    continue;
                }
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    private Found visitChild(String step, Object child) {
        path.add(step);
        Found found = visit(child);
        path.remove(path.size() - 1);
        return found;
    }
}
