package io.multiprocess.reduction;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.SerializerFactory.FieldSerializerFactory;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.serializers.ClosureSerializer;
import com.esotericsoftware.kryo.serializers.DefaultSerializers.UUIDSerializer;
import com.esotericsoftware.kryo.serializers.FieldSerializer.FieldSerializerConfig;
import com.esotericsoftware.kryo.util.Pool;
import io.multiprocess.internal.MpLogger;
import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.UUID;

/**
 * The default reducer ({@code "kryo"}): Kryo 5 binary serialization of lambdas, records and plain classes, with
 * or without {@link java.io.Serializable}.
 *
 * <pre>{@code
 * Reducer reducer = new KryoReducer();
 * int n = 6;
 * SerializableFunction<Integer, Integer> times = x -> x * n;
 * byte[] bytes = reducer.dumps(times);
 * SerializableFunction<Integer, Integer> copy = (SerializableFunction<Integer, Integer>) reducer.loads(bytes);
 * copy.apply(7); // 42
 * }</pre>
 *
 * <p>What it handles: serializable lambdas and method references (see {@link SerializedLambdas}; no
 * {@code --add-opens} needed) whose captured values may be any type this reducer handles; records; enums; arrays;
 * collections including {@code List.of}, {@code Arrays.asList} and the {@code Collections} views; {@code UUID},
 * {@code Optional} and {@code java.time}; socket addresses; classes without a no-argument constructor; anonymous and inner classes
 * with their captured values; shared references and cycles. Throwables travel with JDK serialization, so a
 * remote exception keeps its message, cause, stack trace and suppressed exceptions; their fields must be
 * Serializable.
 *
 * <p>Class registration is not required, so loading bytes can instantiate any class on the classpath. That is
 * safe here only because bytes are loaded exclusively from authenticated peers; never feed this reducer bytes
 * from an untrusted source.
 *
 * <p>Thread-safe: Kryo instances and buffers are pooled.
 */
public final class KryoReducer implements Reducer {

    /** The name this reducer is selected by. */
    public static final String NAME = "kryo";

    private static final int POOL_SIZE = 64;
    private static final int INITIAL_BUFFER = 4096;
    // A buffer that grew past this for one huge value is not worth keeping around.
    private static final int MAX_POOLED_BUFFER = 1 << 20;
    private static final String DUMP_HINT = "Make the field transient, or send what the child needs to rebuild"
            + " the value (a path, an address, an id) instead.";
    private static final String TRACE_MARKER = "Serialization trace:";

    static {
        // Kryo probes sun.misc.Unsafe when first used unless told not to, and JDK 24+ warns about that on
        // stderr. Its unsafe fields and streams are opt-in and this reducer uses neither, so nothing is lost.
        if (System.getProperty("kryo.unsafe") == null) {
            System.setProperty("kryo.unsafe", "false");
        }
        prepareFailurePath();
    }

    private final ClassLoader classLoader;
    private final Pool<Kryo> kryos;
    private final Pool<Output> outputs = new Pool<>(true, false, POOL_SIZE) {
        @Override
        protected Output create() {
            return new Output(INITIAL_BUFFER, -1);
        }
    };
    private final Pool<Input> inputs = new Pool<>(true, false, POOL_SIZE) {
        @Override
        protected Input create() {
            return new KryoBoundedInput();
        }
    };

    /** A reducer resolving classes with the thread context class loader of the constructing thread. */
    public KryoReducer() {
        this(Reducers.defaultClassLoader());
    }

    /** A reducer resolving classes with {@code classLoader}. */
    public KryoReducer(ClassLoader classLoader) {
        this.classLoader = classLoader;
        List<KryoCustomizer> customizers = customizers(classLoader);
        this.kryos = new Pool<>(true, false, POOL_SIZE) {
            @Override
            protected Kryo create() {
                Kryo kryo = newKryo(classLoader);
                for (KryoCustomizer customizer : customizers) {
                    try {
                        customizer.customize(kryo);
                    } catch (RuntimeException | LinkageError e) {
                        throw new ReductionException("the KryoCustomizer " + customizer.getClass().getName()
                                + " failed: " + e + "; fix it, or remove it from META-INF/services/"
                                + KryoCustomizer.class.getName(), e);
                    }
                }
                return kryo;
            }
        };
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public byte[] dumps(Object value) {
        Kryo kryo = kryos.obtain();
        Output output = outputs.obtain();
        boolean clean = false;
        try {
            kryo.writeClassAndObject(output, value);
            clean = true;
            return output.toBytes();
        } catch (RuntimeException | StackOverflowError e) {
            throw dumpFailure(value, e);
        } finally {
            release(kryo, clean);
            output.reset();
            if (output.getBuffer().length <= MAX_POOLED_BUFFER) {
                outputs.free(output);
            }
        }
    }

    @Override
    public Object loads(byte[] bytes, int offset, int length) {
        Kryo kryo = kryos.obtain();
        Input input = inputs.obtain();
        boolean clean = false;
        try {
            input.setBuffer(bytes, offset, length);
            Object value = kryo.readClassAndObject(input);
            clean = true;
            return value;
        } catch (RuntimeException | Error e) {
            throw ReductionFailures.cannotLoad(NAME, classLoader, e);
        } finally {
            release(kryo, clean);
            input.setBuffer(new byte[0]);
            inputs.free(input);
        }
    }

    @Override
    public String toString() {
        return "KryoReducer[" + classLoader + "]";
    }

    /**
     * A value too deep for the stack ends in a StackOverflowError deep inside Kryo, whose serializers catch it and
     * add a trace line with a StringBuffer, at the bottom of the stack. A class initialized for the first time
     * there fails to initialize and stays unusable in this JVM (every later use: NoClassDefFoundError, which
     * escaped as a worker crash). So the classes of that path are initialized here, with room to spare.
     */
    private static void prepareFailurePath() {
        KryoException prepared = new KryoException("prepared", new StackOverflowError());
        prepared.addTrace("prepared");
        prepared.addTrace("prepared");
        prepared.getMessage();
    }

    /**
     * The customizers listed for {@code classLoader}. One that cannot be loaded (a missing class, no public no-arg
     * constructor, or one that implements this interface as another class loader defines it) is logged and skipped:
     * it cannot take part, and the reducer still works without it.
     */
    private static List<KryoCustomizer> customizers(ClassLoader classLoader) {
        List<KryoCustomizer> customizers = new ArrayList<>();
        Iterator<KryoCustomizer> listed = ServiceLoader.load(KryoCustomizer.class, classLoader).iterator();
        // Bounded: an iterator failing the same way each time (an unreadable services file) would never end.
        for (int errors = 0; errors < 100; ) {
            try {
                if (!listed.hasNext()) {
                    return customizers;
                }
                customizers.add(listed.next());
            } catch (ServiceConfigurationError e) {
                errors++;
                MpLogger.INSTANCE.warn("a KryoCustomizer listed in META-INF/services/{} cannot be used, and is "
                        + "skipped: {}", KryoCustomizer.class.getName(), e.getMessage());
            }
        }
        return customizers;
    }

    private static Kryo newKryo(ClassLoader classLoader) {
        Kryo kryo = new Kryo(new KryoProxyClassResolver(), null) {
            @Override
            @SuppressWarnings("rawtypes")
            public Serializer getDefaultSerializer(Class type) {
                // Kryo's serializers that allocate by a size read from the message are swapped for bounded ones.
                return KryoBoundedSerializers.bounded(this, type, super.getDefaultSerializer(type));
            }
        };
        kryo.setClassLoader(classLoader);
        kryo.setRegistrationRequired(false);
        kryo.setReferences(true);
        kryo.setInstantiatorStrategy(new KryoConstructorInstantiator());
        // Anonymous and local classes keep captured values in synthetic val$ fields; skipping them would
        // silently rebuild the task without its data.
        FieldSerializerConfig fields = new FieldSerializerConfig();
        fields.setIgnoreSyntheticFields(false);
        kryo.setDefaultSerializer(new FieldSerializerFactory(fields));
        kryo.register(ClosureSerializer.Closure.class, new KryoLambdaSerializer());
        kryo.addDefaultSerializer(SharedHandle.class, new KryoHandleSerializer());
        KryoJavaSerializer java = new KryoJavaSerializer();
        kryo.addDefaultSerializer(Throwable.class, java);
        kryo.addDefaultSerializer(UUID.class, new UUIDSerializer());
        // Their fields are private to java.base; their serialized forms are public. A listener's address must reach
        // the processes that connect to it.
        kryo.addDefaultSerializer(UnixDomainSocketAddress.class, java);
        kryo.addDefaultSerializer(InetSocketAddress.class, java);
        KryoUnmodifiableSerializer views = new KryoUnmodifiableSerializer();
        kryo.addDefaultSerializer(KryoUnmodifiableSerializer.COLLECTION_VIEW, views);
        kryo.addDefaultSerializer(KryoUnmodifiableSerializer.MAP_VIEW, views);
        return kryo;
    }

    private void release(Kryo kryo, boolean clean) {
        // After a failure Kryo may hold half-written reference state; a fresh instance is cheaper than doubt.
        if (clean) {
            kryos.free(kryo);
        }
    }

    private static ReductionException dumpFailure(Object value, Throwable exception) {
        for (Throwable cause = exception; cause != null; cause = cause.getCause()) {
            if (cause instanceof ReductionException reduction) {
                return ReductionFailures.cannotDump(NAME, value, fieldPath(exception), reduction.getMessage(),
                        "", exception);
            }
        }
        return ReductionFailures.cannotDump(NAME, value, fieldPath(exception),
                ReductionFailures.rootMessage(exception), DUMP_HINT, exception);
    }

    /** Turns Kryo's "field (owner class)" trace lines, innermost first, into "Owner.field -> ...". */
    private static List<String> fieldPath(Throwable exception) {
        List<String> path = new ArrayList<>();
        if (!(exception instanceof KryoException) || exception.getMessage() == null) {
            return path;
        }
        String message = exception.getMessage();
        int trace = message.indexOf(TRACE_MARKER);
        if (trace < 0) {
            return path;
        }
        for (String line : message.substring(trace + TRACE_MARKER.length()).strip().split("\n")) {
            int open = line.lastIndexOf(" (");
            if (open > 0 && line.endsWith(")")) {
                String owner = line.substring(open + 2, line.length() - 1);
                path.add(ReductionFailures.shortName(owner) + "." + line.substring(0, open));
            }
        }
        Collections.reverse(path);
        return path;
    }
}
