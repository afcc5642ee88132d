package io.multiprocess.internal.context;

import io.multiprocess.reduction.Reducer;
import io.multiprocess.reduction.Reducers;
import java.util.function.Supplier;

/**
 * The process-wide settings that packages below the context read: the default context's reducer and whether
 * connections may be sent to other processes. {@code Multiprocess} is the source; this holder lets connections,
 * listeners and managers read it without depending on the package of the context (which depends on them).
 */
public final class ContextDefaults {

    private static volatile Supplier<Reducer> reducerSource;
    private static volatile boolean connectionPicklingAllowed;

    private ContextDefaults() {
    }

    /** Set once by {@code Multiprocess}: from then on the default context's reducer is read through it. */
    public static void setReducerSource(Supplier<Reducer> source) {
        reducerSource = source;
    }

    /**
     * The default context's reducer. Before {@code Multiprocess} is first used there is no default context yet, and
     * the one it will make has {@link Reducers#defaultReducer()}, so that is the answer (one instance, shared).
     */
    public static Reducer reducer() {
        Supplier<Reducer> source = reducerSource;
        return source != null ? source.get() : Fallback.REDUCER;
    }

    /** Made once, when first needed: a reducer holds pools that every connection of this JVM may share. */
    private static final class Fallback {
        static final Reducer REDUCER = Reducers.defaultReducer();
    }

    public static void allowConnectionPickling() {
        connectionPicklingAllowed = true;
    }

    public static boolean connectionPicklingAllowed() {
        return connectionPicklingAllowed;
    }
}
