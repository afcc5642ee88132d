package io.multiprocess.managers;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/** The object a namespace proxy refers to, in the manager server. */
final class NamespaceObject implements Namespace {

    private final Map<String, Object> attributes = new LinkedHashMap<>();

    @Override
    @SuppressWarnings("unchecked")
    public synchronized <T> T get(String name) {
        if (!attributes.containsKey(name)) {
            throw new NoSuchElementException("the namespace has no attribute '" + name + "'; it has "
                    + new ArrayList<>(attributes.keySet()));
        }
        return (T) attributes.get(name);
    }

    @Override
    @SuppressWarnings("unchecked")
    public synchronized <T> T get(String name, T defaultValue) {
        return attributes.containsKey(name) ? (T) attributes.get(name) : defaultValue;
    }

    @Override
    public synchronized void set(String name, Object value) {
        attributes.put(java.util.Objects.requireNonNull(name, "name"), value);
    }

    @Override
    public synchronized boolean has(String name) {
        return attributes.containsKey(name);
    }

    @Override
    public synchronized void delete(String name) {
        if (!attributes.containsKey(name)) {
            throw new NoSuchElementException("the namespace has no attribute '" + name + "' to delete");
        }
        attributes.remove(name);
    }

    @Override
    public synchronized Set<String> names() {
        return new LinkedHashSet<>(attributes.keySet());
    }

    @Override
    public synchronized Map<String, Object> toMap() {
        return new LinkedHashMap<>(attributes);
    }

    @Override
    public synchronized String toString() {
        StringBuilder text = new StringBuilder("Namespace(");
        String separator = "";
        for (Map.Entry<String, Object> attribute : attributes.entrySet()) {
            text.append(separator).append(attribute.getKey()).append('=').append(attribute.getValue());
            separator = ", ";
        }
        return text.append(')').toString();
    }

    @Override
    public synchronized boolean equals(Object other) {
        return other instanceof Namespace namespace && new HashMap<>(attributes).equals(namespace.toMap());
    }

    @Override
    public synchronized int hashCode() {
        return attributes.hashCode();
    }
}
