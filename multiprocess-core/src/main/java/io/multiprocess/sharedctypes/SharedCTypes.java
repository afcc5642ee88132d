package io.multiprocess.sharedctypes;

import java.util.Objects;

/**
 * The factories behind {@code ctx.value}, {@code ctx.rawValue}, {@code ctx.array} and {@code ctx.rawArray}
 * (Python's {@code sharedctypes.Value}, {@code RawValue}, {@code Array}, {@code RawArray}), for code without a
 * context at hand.
 *
 * <pre>{@code
 * IntValue hits = SharedCTypes.value(CType.INT, 0, true);          // what ctx.value(CType.INT, 0) does
 * DoubleArray xs = SharedCTypes.array(CType.DOUBLE, 100, false);   // ctx.rawArray(CType.DOUBLE, 100)
 * SharedValue any = SharedCTypes.value("d", 1.5, true);            // a DoubleValue, typed as its base
 * }</pre>
 *
 * <p>Named by a {@link CType}, the result's class and the initial contents' type are checked by the compiler. Named
 * by Python's type code, the result is the sealed base class and the initial value is checked when it runs, as
 * Python does: integral types take any integral box that fits their range, {@code float} and {@code double} any
 * number, {@code char} a {@link Character}, {@code boolean} a {@link Boolean}, and an array a primitive array of
 * the type; anything else is an {@link IllegalArgumentException}, as Python's {@code TypeError}.
 */
public final class SharedCTypes {

    private SharedCTypes() {
    }

    /** A new shared value of {@code type} holding {@code initial}, with its own lock if {@code lock}. */
    public static <V extends SharedValue, E> V value(CType<V, ?, E, ?> type, E initial, boolean lock) {
        return type.newValue(initial, lock);
    }

    /**
     * A new shared value of the type with Python's {@code typecode} holding {@code initial}, with its own lock if
     * {@code lock}.
     *
     * @throws IllegalArgumentException if {@code typecode} is unknown or {@code initial} does not fit it
     */
    public static SharedValue value(String typecode, Object initial, boolean lock) {
        return untypedValue(CType.of(typecode), initial, lock);
    }

    private static <E> SharedValue untypedValue(CType<?, ?, E, ?> type, Object initial, boolean lock) {
        return type.newValue(type.coerce(initial), lock);
    }

    /**
     * A new shared array of {@code size} elements of {@code type}, all zero (false), with its own lock if
     * {@code lock}.
     *
     * @throws IllegalArgumentException if {@code size} is negative
     */
    public static <A extends SharedArray> A array(CType<?, A, ?, ?> type, int size, boolean lock) {
        return type.newArray(size, lock);
    }

    /** A new shared array holding a copy of {@code initial}, with its own lock if {@code lock}. */
    public static <A extends SharedArray, P> A array(CType<?, A, ?, P> type, P initial, boolean lock) {
        return type.newArray(initial, lock);
    }

    /** As {@link #array(CType, int, boolean)}, the type named by Python's {@code typecode}. */
    public static SharedArray array(String typecode, int size, boolean lock) {
        return CType.of(typecode).newArray(size, lock);
    }

    /**
     * As {@link #array(CType, Object, boolean)}, the type named by Python's {@code typecode}.
     *
     * @throws IllegalArgumentException if {@code initial} is not a primitive array of that type
     */
    public static SharedArray array(String typecode, Object initial, boolean lock) {
        return untypedArray(CType.of(typecode), initial, lock);
    }

    private static <P> SharedArray untypedArray(CType<?, ?, ?, P> type, Object initial, boolean lock) {
        Objects.requireNonNull(initial, "initial");
        if (!type.arrayType().isInstance(initial)) {
            throw new IllegalArgumentException("a shared " + type.primitive() + " array is initialized from a "
                    + type.arrayType().getTypeName() + " (or created with a size), not from a "
                    + initial.getClass().getTypeName());
        }
        return type.newArray(type.arrayType().cast(initial), lock);
    }
}
