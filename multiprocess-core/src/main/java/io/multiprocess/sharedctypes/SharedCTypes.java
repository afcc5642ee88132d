package io.multiprocess.sharedctypes;

import java.util.Objects;

/**
 * The factories behind {@code ctx.value}, {@code ctx.rawValue}, {@code ctx.array} and {@code ctx.rawArray}
 * (Python's {@code sharedctypes.Value}, {@code RawValue}, {@code Array}, {@code RawArray}): one entry point for every
 * primitive type, named by its class literal, returning the typed class for it.
 *
 * <pre>{@code
 * IntValue hits = SharedCTypes.value(int.class, 0, true);       // what ctx.value(int.class, 0) does
 * DoubleArray xs = SharedCTypes.array(double.class, 100, false); // ctx.rawArray(double.class, 100)
 * }</pre>
 *
 * <p>The type is named by its primitive class literal ({@code int.class}; the box, {@code Integer.class}, is
 * accepted too). The result's type is inferred from the variable it is assigned to; assigning it to another type's class
 * ({@code DoubleValue d = ctx.value(int.class, 0)}) fails at once with a {@link ClassCastException}. The initial
 * value is checked against the type: integral types take any integral box that fits their range, {@code float}
 * and {@code double} any number, {@code char} a {@link Character}, {@code boolean} a {@link Boolean}; anything else
 * is an {@link IllegalArgumentException}, as Python's {@code TypeError}.
 */
public final class SharedCTypes {

    private SharedCTypes() {
    }

    /**
     * A new shared value of the primitive {@code type} holding {@code initial}, with its own lock if {@code lock}.
     *
     * @throws IllegalArgumentException if {@code type} is not a primitive type or {@code initial} does not fit it
     */
    @SuppressWarnings("unchecked")
    public static <V extends SharedValue> V value(Class<?> type, Object initial, boolean lock) {
        ElementType elements = elementType(type);
        return (V) switch (elements) {
            case INT -> IntValue.create((int) integral(elements, initial, Integer.MIN_VALUE, Integer.MAX_VALUE), lock);
            case LONG -> LongValue.create(integral(elements, initial, Long.MIN_VALUE, Long.MAX_VALUE), lock);
            case SHORT -> ShortValue.create((short) integral(elements, initial, Short.MIN_VALUE, Short.MAX_VALUE),
                    lock);
            case BYTE -> ByteValue.create((byte) integral(elements, initial, Byte.MIN_VALUE, Byte.MAX_VALUE), lock);
            case CHAR -> CharValue.create(exact(elements, initial, Character.class), lock);
            case FLOAT -> FloatValue.create(number(elements, initial).floatValue(), lock);
            case DOUBLE -> DoubleValue.create(number(elements, initial).doubleValue(), lock);
            case BOOLEAN -> BooleanValue.create(exact(elements, initial, Boolean.class), lock);
        };
    }

    /**
     * A new shared array of {@code size} elements of the primitive {@code type}, all zero (false), with its own lock
     * if {@code lock}.
     *
     * @throws IllegalArgumentException if {@code type} is not a primitive type or {@code size} is negative
     */
    @SuppressWarnings("unchecked")
    public static <A extends SharedArray> A array(Class<?> type, int size, boolean lock) {
        ElementType elements = elementType(type);
        return (A) switch (elements) {
            case INT -> IntArray.create(size, lock);
            case LONG -> LongArray.create(size, lock);
            case SHORT -> ShortArray.create(size, lock);
            case BYTE -> ByteArray.create(size, lock);
            case CHAR -> CharArray.create(size, lock);
            case FLOAT -> FloatArray.create(size, lock);
            case DOUBLE -> DoubleArray.create(size, lock);
            case BOOLEAN -> BooleanArray.create(size, lock);
        };
    }

    /**
     * A new shared array holding a copy of {@code initial}, a primitive array of {@code type} (an {@code int[]} for
     * {@code int.class}), with its own lock if {@code lock}.
     *
     * @throws IllegalArgumentException if {@code initial} is not an array of {@code type}
     */
    @SuppressWarnings("unchecked")
    public static <A extends SharedArray> A array(Class<?> type, Object initial, boolean lock) {
        ElementType elements = elementType(type);
        Objects.requireNonNull(initial, "initial");
        if (initial.getClass().getComponentType() != elements.primitive) {
            throw new IllegalArgumentException("a shared " + type + " array is initialized from a " + type
                    + "[] (or created with a size), not from a " + initial.getClass().getTypeName());
        }
        return (A) switch (elements) {
            case INT -> IntArray.create((int[]) initial, lock);
            case LONG -> LongArray.create((long[]) initial, lock);
            case SHORT -> ShortArray.create((short[]) initial, lock);
            case BYTE -> ByteArray.create((byte[]) initial, lock);
            case CHAR -> CharArray.create((char[]) initial, lock);
            case FLOAT -> FloatArray.create((float[]) initial, lock);
            case DOUBLE -> DoubleArray.create((double[]) initial, lock);
            case BOOLEAN -> BooleanArray.create((boolean[]) initial, lock);
        };
    }

    static ElementType elementType(Class<?> type) {
        Objects.requireNonNull(type, "type");
        for (ElementType elements : ElementType.values()) {
            if (elements.primitive == type || box(elements.primitive) == type) {
                return elements;
            }
        }
        throw new IllegalArgumentException("shared values and arrays hold int, long, short, byte, char, float,"
                + " double or boolean (give the class literal, e.g. int.class), not " + type.getName()
                + "; for other objects use a queue or a manager");
    }

    private static Class<?> box(Class<?> primitive) {
        return java.lang.invoke.MethodType.methodType(primitive).wrap().returnType();
    }

    private static long integral(ElementType type, Object initial, long min, long max) {
        if (!(initial instanceof Long || initial instanceof Integer || initial instanceof Short
                || initial instanceof Byte)) {
            throw wrong(type, initial);
        }
        long value = ((Number) initial).longValue();
        if (value < min || value > max) {
            throw new IllegalArgumentException(value + " does not fit a shared " + type.primitive + " (" + min + ".."
                    + max + ")");
        }
        return value;
    }

    private static Number number(ElementType type, Object initial) {
        if (!(initial instanceof Number number)) {
            throw wrong(type, initial);
        }
        return number;
    }

    private static <T> T exact(ElementType type, Object initial, Class<T> box) {
        if (!box.isInstance(initial)) {
            throw wrong(type, initial);
        }
        return box.cast(initial);
    }

    private static IllegalArgumentException wrong(ElementType type, Object initial) {
        return new IllegalArgumentException("a shared " + type.primitive + " cannot be initialized with "
                + (initial == null ? "null" : "a " + initial.getClass().getName() + " (" + initial + ")"));
    }
}
