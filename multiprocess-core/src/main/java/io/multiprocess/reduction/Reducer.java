package io.multiprocess.reduction;

/**
 * Turns values into bytes and back for everything that crosses a process boundary: process objects, pool tasks
 * and results, queue items, pipe messages and manager calls all go through the context's one reducer.
 *
 * <p>Three are built in, chosen by name on a context:
 * <pre>{@code
 * BaseContext ctx = Multiprocess.getContext();
 * ctx.setReducer("kryo");      // default: lambdas, records, classes without Serializable
 * ctx.setReducer("java");      // JDK serialization: Serializable types only
 * ctx.setReducer("jackson");   // Jackson 3 JSON: data types and serializable lambdas
 * }</pre>
 *
 * A custom reducer may be set as an instance; child processes create their own with its public no-argument
 * constructor, so it must have one.
 *
 * <p>Implementations are thread-safe. Bytes are only ever loaded from authenticated peers (see
 * docs/architecture.md): a reducer may instantiate any class on the classpath.
 */
public interface Reducer {

    /** The name this reducer is selected by, e.g. {@code "kryo"}. */
    String name();

    /**
     * Reduces a value to bytes.
     *
     * @throws ReductionException if the value, or something it refers to, cannot be reduced; the message names
     *     the type, the field path where known, this reducer, and what to do
     */
    byte[] dumps(Object value);

    /**
     * Rebuilds a value from bytes made by {@link #dumps(Object)} of the same reducer, in this or another process
     * running the same classpath.
     *
     * @throws ReductionException if the bytes cannot be read, e.g. a class is missing
     */
    default Object loads(byte[] bytes) {
        return loads(bytes, 0, bytes.length);
    }

    /** As {@link #loads(byte[])}, reading {@code length} bytes from {@code offset}. */
    Object loads(byte[] bytes, int offset, int length);
}
