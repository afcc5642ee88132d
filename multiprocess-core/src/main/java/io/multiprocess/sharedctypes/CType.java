package io.multiprocess.sharedctypes;

import io.multiprocess.sharedmemory.SharedMemory;
import io.multiprocess.synchronize.RLock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The primitive types a shared value or array can hold, as typed tokens: Python's type codes ({@code 'i'},
 * {@code 'd'}, ...) for {@code ctx.value}, {@code ctx.array} and their raw variants. A token's type arguments name
 * the classes it makes, so the compiler picks the result's class and checks the initial contents:
 *
 * <pre>{@code
 * IntValue hits = ctx.value(CType.INT, 0);                      // Python: Value('i', 0)
 * LongValue total = ctx.rawValue(CType.LONG);                   // RawValue('q'), zero
 * DoubleArray xs = ctx.array(CType.DOUBLE, 100);                // Array('d', 100)
 * IntArray ys = ctx.array(CType.INT, new int[] {1, 2, 3});      // Array('i', [1, 2, 3])
 * DoubleValue wrong = ctx.value(CType.INT, 0);                  // does not compile
 * }</pre>
 *
 * <p>The initial value is the token's box: {@code ctx.value(CType.LONG, 0L)} (or {@code ctx.value(CType.LONG)} for
 * zero), as {@code Long x = 0L} needs the {@code L}. Code that only knows the type at run time passes a type code,
 * {@code ctx.value("d", 1.5)}, and gets the sealed base class, {@link SharedValue} or {@link SharedArray}.
 *
 * <p>The same tokens name the element types of a manager's arrays: {@code manager.array(CType.DOUBLE, 10)} is a
 * {@code List<Double>}.
 *
 * @param <V> the shared value class it makes, e.g. {@link IntValue}
 * @param <A> the shared array class it makes, e.g. {@link IntArray}
 * @param <E> the box of the primitive, e.g. {@link Integer}: the type of a value's initial contents
 * @param <P> the primitive array, e.g. {@code int[]}: the type of an array's initial contents
 */
public final class CType<V extends SharedValue, A extends SharedArray, E, P> {

    /** {@code int}, Python's {@code 'i'}: {@link IntValue}, {@link IntArray}. */
    public static final CType<IntValue, IntArray, Integer, int[]> INT = new CType<>("INT", "i", int.class,
            Integer.class, int[].class, Integer.BYTES, Number::intValue,
            IntValue::new, IntValue::create, IntArray::new, IntArray::create, IntArray::create);

    /** {@code long}, Python's {@code 'q'}: {@link LongValue}, {@link LongArray}. */
    public static final CType<LongValue, LongArray, Long, long[]> LONG = new CType<>("LONG", "q", long.class,
            Long.class, long[].class, Long.BYTES, Number::longValue,
            LongValue::new, LongValue::create, LongArray::new, LongArray::create, LongArray::create);

    /** {@code short}, Python's {@code 'h'}: {@link ShortValue}, {@link ShortArray}. */
    public static final CType<ShortValue, ShortArray, Short, short[]> SHORT = new CType<>("SHORT", "h", short.class,
            Short.class, short[].class, Short.BYTES, Number::shortValue,
            ShortValue::new, ShortValue::create, ShortArray::new, ShortArray::create, ShortArray::create);

    /** {@code byte}, Python's {@code 'b'}: {@link ByteValue}, {@link ByteArray}. */
    public static final CType<ByteValue, ByteArray, Byte, byte[]> BYTE = new CType<>("BYTE", "b", byte.class,
            Byte.class, byte[].class, Byte.BYTES, Number::byteValue,
            ByteValue::new, ByteValue::create, ByteArray::new, ByteArray::create, ByteArray::create);

    /** {@code char}, Python's {@code 'u'}: {@link CharValue}, {@link CharArray}. */
    public static final CType<CharValue, CharArray, Character, char[]> CHAR = new CType<>("CHAR", "u", char.class,
            Character.class, char[].class, Character.BYTES, null,
            CharValue::new, CharValue::create, CharArray::new, CharArray::create, CharArray::create);

    /** {@code float}, Python's {@code 'f'}: {@link FloatValue}, {@link FloatArray}. */
    public static final CType<FloatValue, FloatArray, Float, float[]> FLOAT = new CType<>("FLOAT", "f", float.class,
            Float.class, float[].class, Float.BYTES, Number::floatValue,
            FloatValue::new, FloatValue::create, FloatArray::new, FloatArray::create, FloatArray::create);

    /** {@code double}, Python's {@code 'd'}: {@link DoubleValue}, {@link DoubleArray}. */
    public static final CType<DoubleValue, DoubleArray, Double, double[]> DOUBLE = new CType<>("DOUBLE", "d",
            double.class, Double.class, double[].class, Double.BYTES, Number::doubleValue,
            DoubleValue::new, DoubleValue::create, DoubleArray::new, DoubleArray::create, DoubleArray::create);

    /** {@code boolean}, Python's {@code '?'} (one byte, 0 or 1): {@link BooleanValue}, {@link BooleanArray}. */
    public static final CType<BooleanValue, BooleanArray, Boolean, boolean[]> BOOLEAN = new CType<>("BOOLEAN", "?",
            boolean.class, Boolean.class, boolean[].class, 1, null,
            BooleanValue::new, BooleanValue::create, BooleanArray::new, BooleanArray::create, BooleanArray::create);

    // The position is each type's number in a segment's header (Segments.header): append, never reorder.
    private static final List<CType<?, ?, ?, ?>> VALUES = List.of(INT, LONG, SHORT, BYTE, CHAR, FLOAT, DOUBLE,
            BOOLEAN);

    /** How the generated classes make and wrap themselves; named so the table above stays readable. */
    @FunctionalInterface
    interface Creator<T, R> {
        R create(T initial, boolean lock);
    }

    @FunctionalInterface
    interface SizedCreator<R> {
        R create(int length, boolean lock);
    }

    private final String name;
    private final String code;
    private final Class<?> primitive;
    private final Class<E> box;
    private final Class<P> arrayType;
    final int size;
    // Narrows any integral or floating box to this type's box; null for char and boolean, which take only their own.
    private final Function<Number, E> narrow;
    private final BiFunction<SharedMemory, RLock, V> wrapValue;
    private final Creator<E, V> createValue;
    private final BiFunction<SharedMemory, RLock, A> wrapArray;
    private final SizedCreator<A> createArray;
    private final Creator<P, A> copyArray;

    private CType(String name, String code, Class<?> primitive, Class<E> box, Class<P> arrayType, int size,
            Function<Number, E> narrow, BiFunction<SharedMemory, RLock, V> wrapValue, Creator<E, V> createValue,
            BiFunction<SharedMemory, RLock, A> wrapArray, SizedCreator<A> createArray, Creator<P, A> copyArray) {
        this.name = name;
        this.code = code;
        this.primitive = primitive;
        this.box = box;
        this.arrayType = arrayType;
        this.size = size;
        this.narrow = narrow;
        this.wrapValue = wrapValue;
        this.createValue = createValue;
        this.wrapArray = wrapArray;
        this.createArray = createArray;
        this.copyArray = copyArray;
    }

    /** Every type, in a fixed order: {@code INT, LONG, SHORT, BYTE, CHAR, FLOAT, DOUBLE, BOOLEAN}. */
    public static List<CType<?, ?, ?, ?>> values() {
        return VALUES;
    }

    /**
     * The type of Python's type code {@code typecode}: {@code "i"}, {@code "q"}, {@code "h"}, {@code "b"},
     * {@code "u"}, {@code "f"}, {@code "d"} or {@code "?"}.
     *
     * @throws IllegalArgumentException for any other code
     */
    public static CType<?, ?, ?, ?> of(String typecode) {
        Objects.requireNonNull(typecode, "typecode");
        for (CType<?, ?, ?, ?> type : VALUES) {
            if (type.code.equals(typecode)) {
                return type;
            }
        }
        throw new IllegalArgumentException("no shared value type has the code '" + typecode + "'; the codes are"
                + " i (int), q (long), h (short), b (byte), u (char), f (float), d (double) and ? (boolean)");
    }

    /**
     * The type holding {@code type}, a primitive class or its box ({@code int.class} or {@code Integer.class} for
     * {@link #INT}), if there is one: for code that has a class at run time, such as a manager's arrays.
     */
    public static Optional<CType<?, ?, ?, ?>> forClass(Class<?> type) {
        Objects.requireNonNull(type, "type");
        for (CType<?, ?, ?, ?> candidate : VALUES) {
            if (candidate.primitive == type || candidate.box == type) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** Python's type code, e.g. {@code "i"}. */
    public String typecode() {
        return code;
    }

    /** The primitive class, e.g. {@code int.class}. */
    public Class<?> primitive() {
        return primitive;
    }

    /** The box of the primitive, e.g. {@code Integer.class}. */
    public Class<E> boxed() {
        return box;
    }

    /** The primitive array class, e.g. {@code int[].class}. */
    public Class<P> arrayType() {
        return arrayType;
    }

    /** Bytes per element in shared memory. */
    public int byteSize() {
        return size;
    }

    /** Zero of this type, boxed: {@code 0}, {@code 0.0}, {@code '\0'}, {@code false}, as Python starts a value. */
    public E zero() {
        return box.cast(java.lang.reflect.Array.get(java.lang.reflect.Array.newInstance(primitive, 1), 0));
    }

    int ordinal() {
        return VALUES.indexOf(this);
    }

    V newValue(E initial, boolean lock) {
        return createValue.create(Objects.requireNonNull(initial, "initial"), lock);
    }

    V wrapValue(SharedMemory memory, RLock lock) {
        return wrapValue.apply(memory, lock);
    }

    A newArray(int length, boolean lock) {
        return createArray.create(length, lock);
    }

    A newArray(P initial, boolean lock) {
        return copyArray.create(Objects.requireNonNull(initial, "initial"), lock);
    }

    A wrapArray(SharedMemory memory, RLock lock) {
        return wrapArray.apply(memory, lock);
    }

    /**
     * {@code initial} as this type's box, by Python's rules for an untyped initial value: an integral type takes
     * any integral box whose value fits its range, {@code float} and {@code double} any number, {@code char} and
     * {@code boolean} only their own box.
     *
     * @throws IllegalArgumentException for anything else
     */
    E coerce(Object initial) {
        if (box.isInstance(initial)) {
            return box.cast(initial);
        }
        if (narrow == null || !(initial instanceof Number number)) {
            throw cannotHold(initial);
        }
        if (box == Float.class || box == Double.class) {
            return narrow.apply(number);
        }
        if (!(number instanceof Long || number instanceof Integer || number instanceof Short
                || number instanceof Byte)) {
            throw cannotHold(initial);
        }
        E narrowed = narrow.apply(number);
        if (((Number) narrowed).longValue() != number.longValue()) {
            long max = size == Long.BYTES ? Long.MAX_VALUE : (1L << (size * Byte.SIZE - 1)) - 1;
            throw new IllegalArgumentException(number + " does not fit a shared " + primitive + " (" + (-max - 1)
                    + ".." + max + ")");
        }
        return narrowed;
    }

    private IllegalArgumentException cannotHold(Object initial) {
        return new IllegalArgumentException("a shared " + primitive + " cannot be initialized with "
                + (initial == null ? "null" : "a " + initial.getClass().getName() + " (" + initial + ")"));
    }

    /** {@code "CType.INT"}, as it is written in code. */
    @Override
    public String toString() {
        return "CType." + name;
    }
}
