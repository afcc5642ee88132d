package io.multiprocess.managers;

import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * Named attributes shared through a manager (Python's {@code manager.Namespace()}): what Python writes
 * {@code ns.x = 1} and {@code ns.x} is {@code ns.set("x", 1)} and {@code ns.get("x")} here.
 *
 * <pre>{@code
 * Namespace settings = manager.namespace();
 * settings.set("threshold", 0.75);
 * MpProcess child = ctx.process(() -> settings.set("seen", settings.<Double>get("threshold") > 0.5));
 * }</pre>
 *
 * <p>Values are copied in and out, as with every manager proxy: changing a value read from a namespace changes the
 * copy, not the attribute; set it again. A value may be another proxy (a dict, a list), which stays shared.
 */
public interface Namespace {

    /**
     * The value of attribute {@code name}.
     *
     * @throws NoSuchElementException if there is no such attribute (Python's {@code AttributeError})
     */
    <T> T get(String name);

    /**
     * The value of attribute {@code name}, or {@code defaultValue} if there is none (Python's
     * {@code getattr(ns, name, default)}).
     */
    <T> T get(String name, T defaultValue);

    /** Sets attribute {@code name}; null is a value. */
    void set(String name, Object value);

    /** Whether attribute {@code name} exists (Python's {@code hasattr}). */
    boolean has(String name);

    /**
     * Removes attribute {@code name} (Python's {@code delattr}).
     *
     * @throws NoSuchElementException if there is no such attribute
     */
    void delete(String name);

    /** The attribute names, in the order they were first set (a copy). */
    Set<String> names();

    /** The attributes and their values, in the order they were first set (a copy). */
    Map<String, Object> toMap();
}
