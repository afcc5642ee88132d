package io.multiprocess.spring.boot.autoconfigure;

import io.multiprocess.pool.PoolListener;
import io.multiprocess.pool.PoolOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * A pool about to be created from properties, as {@link ProcessPoolCustomizer}s see it: its bean name, its options
 * (bound from properties so far) and the listeners it will have before its first worker starts.
 */
public final class ProcessPoolSettings {

    private final String name;
    private PoolOptions options;
    private final List<PoolListener> listeners = new ArrayList<>();

    ProcessPoolSettings(String name, PoolOptions options) {
        this.name = name;
        this.options = options;
    }

    /** The pool's bean name: {@code multiprocessPool} for the primary pool, the key for a named one. */
    public String name() {
        return name;
    }

    public PoolOptions getOptions() {
        return options;
    }

    public void setOptions(PoolOptions options) {
        this.options = Objects.requireNonNull(options, "options");
    }

    /** Changes the options, e.g. {@code pool.options(o -> o.initializer(Model::load))}. */
    public ProcessPoolSettings options(UnaryOperator<PoolOptions> change) {
        setOptions(change.apply(options));
        return this;
    }

    /** Adds a listener, which hears the pool's first workers start too. */
    public ProcessPoolSettings listener(PoolListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
        return this;
    }

    List<PoolListener> listeners() {
        return listeners;
    }
}
