package io.multiprocess.reduction;

import java.lang.reflect.InvocationTargetException;
import java.util.Locale;

/**
 * Creates reducers by name, so a child process can rebuild the reducer its parent uses.
 *
 * <pre>{@code
 * Reducer reducer = Reducers.byName("kryo");
 * String name = Reducers.nameOf(reducer);          // "kryo", sent to the child
 * Reducer same = Reducers.byName(name);             // in the child
 * Reducer custom = Reducers.byName("com.example.MyReducer");
 * }</pre>
 */
public final class Reducers {

    private static final String JACKSON_CLASS = "tools.jackson.databind.json.JsonMapper";
    private static final String JACKSON_REDUCER_CLASS = "io.multiprocess.reduction.JacksonReducer";

    private Reducers() {
    }

    /**
     * A new reducer: {@code "kryo"}, {@code "java"} or {@code "jackson"} (any case), or otherwise the fully
     * qualified name of a {@link Reducer} class with a public no-argument constructor.
     *
     * @throws IllegalArgumentException if the name is none of these, or Jackson is selected but not on the
     *     classpath
     */
    public static Reducer byName(String name) {
        switch (name.toLowerCase(Locale.ROOT)) {
            case KryoReducer.NAME:
                return new KryoReducer();
            case JavaReducer.NAME:
                return new JavaReducer();
            case JacksonReducer.NAME:
                requireJackson();
                // Referenced only here, so JacksonReducer (and Jackson) load only when selected.
                return new JacksonReducer();
            default:
                return custom(name);
        }
    }

    /**
     * The class whose code {@code value} runs: for a lambda the class that wrote it (its capturing class), else the
     * value's own class. A forkserver spare loads such classes ahead of the process that needs them.
     */
    public static String codeClassName(Object value) {
        if (SerializedLambdas.isLambda(value.getClass())) {
            try {
                return SerializedLambdas.capturingClassName(SerializedLambdas.serialize(value));
            } catch (ReductionException e) {
                return value.getClass().getName();
            }
        }
        return value.getClass().getName();
    }

    /** The name {@link #byName(String)} recreates {@code reducer} from: its built-in name or its class name. */
    public static String nameOf(Reducer reducer) {
        // By class name, so that asking does not load JacksonReducer when Jackson is absent.
        String type = reducer.getClass().getName();
        if (type.equals(KryoReducer.class.getName()) || type.equals(JavaReducer.class.getName())
                || type.equals(JACKSON_REDUCER_CLASS)) {
            return reducer.name();
        }
        return reducer.getClass().getName();
    }

    /** The reducer used unless another is chosen: a new {@link KryoReducer}. */
    public static Reducer defaultReducer() {
        return new KryoReducer();
    }

    /** The thread context class loader, or this library's loader when the thread has none. */
    static ClassLoader defaultClassLoader() {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        return loader != null ? loader : Reducer.class.getClassLoader();
    }

    private static void requireJackson() {
        try {
            Class.forName(JACKSON_CLASS, false, Reducer.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            throw new IllegalArgumentException("Reducer 'jackson' needs Jackson 3 on the classpath: add the"
                    + " dependency tools.jackson.core:jackson-databind, or choose reducer 'kryo' or 'java'.", e);
        }
    }

    private static Reducer custom(String name) {
        Class<?> type = findClass(name);
        if (type == null || !Reducer.class.isAssignableFrom(type)) {
            throw new IllegalArgumentException("Unknown reducer '" + name + "'. Valid names are 'kryo' (default),"
                    + " 'java', 'jackson', or the fully qualified name of a class implementing "
                    + Reducer.class.getName() + " with a public no-argument constructor"
                    + (type == null ? "; no class of that name is on the classpath." : "; " + name
                    + " does not implement it."));
        }
        try {
            return (Reducer) type.getConstructor().newInstance();
        } catch (NoSuchMethodException | IllegalAccessException e) {
            throw new IllegalArgumentException("Reducer class " + name + " needs a public no-argument constructor:"
                    + " child processes create their reducer with it.", e);
        } catch (InstantiationException | InvocationTargetException e) {
            throw new IllegalArgumentException("Reducer class " + name + " could not be created: "
                    + ReductionFailures.rootMessage(e), e);
        }
    }

    private static Class<?> findClass(String name) {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        for (ClassLoader loader : new ClassLoader[] {context, Reducer.class.getClassLoader()}) {
            if (loader == null) {
                continue;
            }
            try {
                return Class.forName(name, false, loader);
            } catch (ClassNotFoundException | LinkageError e) {
                // try the next loader
            }
        }
        return null;
    }
}
