package io.multiprocess.reduction;

import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.ArrayList;
import java.util.List;
import io.multiprocess.internal.FrameLimit;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamWriteConstraints;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.DatabindContext;
import tools.jackson.databind.DefaultTyping;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.jsontype.PolymorphicTypeValidator;
import tools.jackson.databind.type.TypeFactory;

/**
 * The {@code "jackson"} reducer: Jackson 3 JSON, readable on the wire. Needs
 * {@code tools.jackson.core:jackson-databind} on the classpath.
 *
 * <pre>{@code
 * Reducer reducer = Reducers.byName("jackson");
 * byte[] json = reducer.dumps(new Point(1, 2));   // ["com.example.Point",{"x":1,"y":2}]
 * Point copy = (Point) reducer.loads(json);
 * }</pre>
 *
 * <p>Values keep their runtime types: every value whose declared type is not final (including the root, declared
 * as {@code Object}) is written as {@code [className, value]}. Objects are written field by field (getters and
 * setters are ignored), so they need a no-argument constructor or must be records (checked when dumping). Serializable lambdas, also as
 * fields of other objects, are written as their {@link java.lang.invoke.SerializedLambda} parts. Anonymous, local
 * and inner classes are refused. Shared references are written as copies and cycles fail; use {@code "kryo"} for
 * object graphs.
 *
 * <p>The type validator accepts any class: loading can instantiate any class on the classpath, which is safe only
 * because bytes are loaded exclusively from authenticated peers. What loading costs is bounded by Jackson's stream
 * read constraints: JSON nested at most 500 levels deep (as deep as writing allows), numbers of at most 1000
 * digits, and nothing that Jackson sizes by a count in the input (collections and arrays grow with the elements
 * actually read). Corrupt bytes fail with a {@link ReductionException}.
 *
 * <p>Thread-safe: the mapper, reader and writer are immutable.
 */
public final class JacksonReducer implements Reducer {

    /** The name this reducer is selected by. */
    public static final String NAME = "jackson";

    private static final String DUMP_HINT = "Give the class a no-argument constructor or make it a record, make"
            + " the field transient, or use reducer 'kryo'.";

    private final ClassLoader classLoader;
    private final ObjectWriter writer;
    private final ObjectReader reader;

    /** A reducer resolving classes with the thread context class loader of the constructing thread. */
    public JacksonReducer() {
        this(Reducers.defaultClassLoader());
    }

    /** A reducer resolving classes with {@code classLoader}. */
    public JacksonReducer(ClassLoader classLoader) {
        this.classLoader = classLoader;
        // Reading costs what the bytes say and no more: strings and numbers no longer than the message allows,
        // the nesting depth that writing allows (Jackson's default for both), and no document past a frame.
        StreamReadConstraints limits = StreamReadConstraints.builder()
                .maxNestingDepth(StreamWriteConstraints.defaults().getMaxNestingDepth())
                .maxNumberLength(StreamReadConstraints.DEFAULT_MAX_NUM_LEN)
                .maxStringLength(StreamReadConstraints.DEFAULT_MAX_STRING_LEN)
                .maxDocumentLength(FrameLimit.MOST)
                .build();
        JsonMapper mapper = JsonMapper.builder(JsonFactory.builder().streamReadConstraints(limits).build())
                .typeFactory(TypeFactory.createDefaultInstance().withClassLoader(classLoader))
                .setDefaultTyping(new JacksonHandleTyping(new AnyClass(), DefaultTyping.NON_FINAL,
                        JsonTypeInfo.As.WRAPPER_ARRAY))
                .changeDefaultVisibility(visibility -> visibility.withFieldVisibility(Visibility.ANY)
                        .withGetterVisibility(Visibility.NONE).withIsGetterVisibility(Visibility.NONE)
                        .withSetterVisibility(Visibility.NONE))
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                // Fields are the state, final ones included (Jackson 3 would otherwise skip them when reading,
                // silently leaving, for example, a process's target null).
                .enable(MapperFeature.ALLOW_FINAL_FIELDS_AS_MUTATORS)
                .addModule(new JacksonLambdaModule())
                .build();
        this.writer = mapper.writerFor(Object.class);
        this.reader = mapper.readerFor(Object.class);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public byte[] dumps(Object value) {
        try {
            return writer.writeValueAsBytes(value);
        } catch (RuntimeException | StackOverflowError e) {
            throw dumpFailure(value, e);
        }
    }

    @Override
    public Object loads(byte[] bytes, int offset, int length) {
        try {
            return reader.readValue(bytes, offset, length);
        } catch (RuntimeException | Error e) {
            throw ReductionFailures.cannotLoad(NAME, classLoader, e);
        }
    }

    @Override
    public String toString() {
        return "JacksonReducer[" + classLoader + "]";
    }

    private static ReductionException dumpFailure(Object value, Throwable exception) {
        List<String> path = exception instanceof JacksonException jackson ? fieldPath(jackson) : List.of();
        for (Throwable cause = exception; cause != null; cause = cause.getCause()) {
            if (cause instanceof ReductionException reduction) {
                return ReductionFailures.cannotDump(NAME, value, path, reduction.getMessage(), "", exception);
            }
        }
        String cause = exception instanceof JacksonException jackson ? jackson.getOriginalMessage()
                : ReductionFailures.rootMessage(exception);
        if (exception instanceof StreamConstraintsException && cause != null && cause.contains("nesting depth")) {
            // Jackson counts levels so that it never reaches a StackOverflowError; the advice is the same.
            return ReductionFailures.cannotDump(NAME, value, path, cause + " (Jackson's limit that keeps a value "
                    + "this deep from ending in a StackOverflowError)", ReductionFailures.TOO_DEEP_HINT, exception);
        }
        return ReductionFailures.cannotDump(NAME, value, path, cause, DUMP_HINT, exception);
    }

    private static List<String> fieldPath(JacksonException exception) {
        List<String> path = new ArrayList<>();
        for (JacksonException.Reference reference : exception.getPath()) {
            Object from = reference.from();
            String owner = from == null ? "?" : ReductionFailures.shortName(
                    (from instanceof Class<?> type ? type : from.getClass()).getName());
            path.add(reference.getPropertyName() != null ? owner + "." + reference.getPropertyName()
                    : owner + "[" + reference.getIndex() + "]");
        }
        return path;
    }

    /** Accepts every class: bytes come only from authenticated peers running the same classpath. */
    private static final class AnyClass extends PolymorphicTypeValidator.Base {

        private static final long serialVersionUID = 1L;

        @Override
        public Validity validateBaseType(DatabindContext context, JavaType baseType) {
            return Validity.ALLOWED;
        }
    }
}
