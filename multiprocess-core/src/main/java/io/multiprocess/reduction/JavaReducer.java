package io.multiprocess.reduction;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.NotSerializableException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.io.ObjectStreamClass;
import java.util.List;
import java.util.Map;

/**
 * The {@code "java"} reducer: JDK serialization, for applications whose types are all {@link java.io.Serializable}.
 * Lambdas typed by the {@code io.multiprocess.function} interfaces are serializable as they are.
 *
 * <pre>{@code
 * Reducer reducer = new JavaReducer();
 * byte[] bytes = reducer.dumps(List.of("a", "b"));
 * List<String> copy = (List<String>) reducer.loads(bytes);
 * }</pre>
 *
 * <p>A value that is not Serializable fails with the offending class and the field path leading to it. Loading
 * resolves classes with this reducer's class loader and may instantiate any Serializable class on the classpath:
 * bytes are only loaded from authenticated peers. What loading may cost is bounded (an
 * {@link java.io.ObjectInputFilter}): the lengths of all arrays in a message of N bytes, those the JDK collections
 * allocate included, add up to at most N elements, so they take at most 8·N bytes; values nested more than
 * 10,000 levels deep are refused. Corrupt bytes fail with a {@link ReductionException}.
 *
 * <p>Thread-safe: each call uses its own streams.
 */
public final class JavaReducer implements Reducer {

    /** The name this reducer is selected by. */
    public static final String NAME = "java";

    private static final String HINT = "Make it Serializable or use reducer 'kryo'.";

    private static final Map<String, Class<?>> PRIMITIVES = Map.of("boolean", boolean.class, "byte", byte.class,
            "char", char.class, "short", short.class, "int", int.class, "long", long.class, "float", float.class,
            "double", double.class, "void", void.class);

    private final ClassLoader classLoader;

    /** A reducer resolving classes with the thread context class loader of the constructing thread. */
    public JavaReducer() {
        this(Reducers.defaultClassLoader());
    }

    /** A reducer resolving classes with {@code classLoader}. */
    public JavaReducer(ClassLoader classLoader) {
        this.classLoader = classLoader;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public byte[] dumps(Object value) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(512);
        try (ObjectOutputStream out = new HandleObjectOutputStream(bytes)) {
            out.writeObject(value);
        } catch (NotSerializableException e) {
            throw notSerializable(value, e);
        } catch (IOException | RuntimeException | StackOverflowError e) {
            throw ReductionFailures.cannotDump(NAME, value, List.of(), ReductionFailures.rootMessage(e), HINT, e);
        }
        return bytes.toByteArray();
    }

    @Override
    public Object loads(byte[] bytes, int offset, int length) {
        try (ObjectInputStream in = new LoaderObjectInputStream(new ByteArrayInputStream(bytes, offset, length))) {
            in.setObjectInputFilter(BoundedObjectInputFilter.forMessage(length));
            return in.readObject();
        } catch (IOException | ClassNotFoundException | RuntimeException | Error e) {
            throw ReductionFailures.cannotLoad(NAME, classLoader, e);
        }
    }

    @Override
    public String toString() {
        return "JavaReducer[" + classLoader + "]";
    }

    private static ReductionException notSerializable(Object value, NotSerializableException exception) {
        // Searched only now: the walk is reflective and slow, and failures are rare.
        NonSerializableFinder.Found found = NonSerializableFinder.find(value);
        if (found == null) {
            return ReductionFailures.cannotDump(NAME, value, List.of(), exception.getMessage()
                    + " is not Serializable", HINT, exception);
        }
        if (SerializedLambdas.isLambda(found.type())) {
            return ReductionFailures.cannotDump(NAME, value, found.path(),
                    SerializedLambdas.notSerializableMessage(found.type()), "", exception);
        }
        return ReductionFailures.cannotDump(NAME, value, found.path(), found.type().getName()
                + " is not Serializable", HINT, exception);
    }

    /** Writes each {@link SharedHandle} as its token. */
    private static final class HandleObjectOutputStream extends ObjectOutputStream {

        HandleObjectOutputStream(OutputStream out) throws IOException {
            super(out);
            enableReplaceObject(true);
        }

        @Override
        protected Object replaceObject(Object object) {
            return object instanceof SharedHandle handle ? handle.token() : object;
        }
    }

    /**
     * Resolves classes with the reducer's class loader rather than the caller-dependent default, and tokens into
     * their handles.
     */
    private final class LoaderObjectInputStream extends ObjectInputStream {

        LoaderObjectInputStream(InputStream in) throws IOException {
            super(in);
            enableResolveObject(true);
        }

        @Override
        protected Object resolveObject(Object object) {
            return object instanceof HandleToken token ? token.resolve() : object;
        }

        @Override
        protected Class<?> resolveClass(ObjectStreamClass description) throws IOException, ClassNotFoundException {
            String name = description.getName();
            // Primitive types such as "int" cannot be loaded by name.
            Class<?> primitive = PRIMITIVES.get(name);
            return primitive != null ? primitive : Class.forName(name, false, classLoader);
        }
    }
}
