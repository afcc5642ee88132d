package io.multiprocess.sharedctypes;

import io.multiprocess.reduction.HandleToken;
import io.multiprocess.reduction.SharedHandle;
import io.multiprocess.sharedmemory.AtomicView;
import io.multiprocess.sharedmemory.SharedMemory;
import io.multiprocess.synchronize.RLock;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A fixed-length array of one primitive type in shared memory: Python's {@code multiprocessing.Array}
 * ({@code ctx.array(...)}, synchronized) and {@code RawArray} ({@code ctx.rawArray(...)}, no lock). One final class
 * per type, whose {@code get(i)}/{@code set(i, v)} take and return the primitive: {@link IntArray},
 * {@link LongArray}, {@link ShortArray}, {@link ByteArray}, {@link CharArray}, {@link FloatArray},
 * {@link DoubleArray}, {@link BooleanArray}.
 *
 * <pre>{@code
 * DoubleArray samples = ctx.array(CType.DOUBLE, 1000);      // Python: Array('d', 1000), all zero
 * IntArray counts = ctx.array(CType.INT, new int[] {1, 2, 3}); // Array('i', [1, 2, 3])
 * counts.set(0, 7);
 * int[] firstTwo = counts.get(0, 2);                         // counts[0:2]
 * counts.set(1, new int[] {8, 9});                           // counts[1:3] = [8, 9]
 * int[] all = counts.toArray();                              // counts[:]
 * }</pre>
 *
 * <p>An index outside {@code 0..length()-1}, or a range outside the array, is an
 * {@link IndexOutOfBoundsException} naming the array's length. Locking as for {@link SharedValue}: a synchronized
 * array takes its {@link RLock} around every call (a bulk call is one step under the lock); a raw array takes
 * none, and its single-element accesses are still volatile and never torn, but a bulk call is not atomic.
 */
public abstract sealed class SharedArray implements SharedHandle
        permits IntArray, LongArray, ShortArray, ByteArray, CharArray, FloatArray, DoubleArray, BooleanArray {

    final SharedMemory memory;
    final AtomicView view;
    final RLock lock;
    final int length;
    private final CType<?, ?, ?, ?> type;

    SharedArray(SharedMemory memory, CType<?, ?, ?, ?> type, RLock lock) {
        this.memory = memory;
        this.view = AtomicView.of(memory);
        this.type = type;
        this.lock = lock;
        this.length = (int) view.getLong(Segments.LENGTH);
    }

    /** The number of elements (Python's {@code len(array)}). */
    public final int length() {
        return length;
    }

    /** The primitive type of its elements, e.g. {@code int.class}. */
    public final Class<?> type() {
        return type.primitive();
    }

    /** The type token it was made with, e.g. {@link CType#DOUBLE}: for code that handles arrays of any type. */
    public final CType<?, ?, ?, ?> ctype() {
        return type;
    }

    /** Python's type code for its elements. */
    public final String typecode() {
        return type.typecode();
    }

    /** Whether every call takes a lock ({@code ctx.array}); false for {@code ctx.rawArray}. */
    public final boolean isSynchronized() {
        return lock != null;
    }

    /**
     * Takes the lock of a synchronized array, nothing for a raw one: every access of the subclasses is
     * {@code enter(); try { ... } finally { exit(); }}, one shape for both kinds.
     */
    final void enter() {
        if (lock != null) {
            lock.acquire();
        }
    }

    final void exit() {
        if (lock != null) {
            lock.release();
        }
    }

    /**
     * The cross-process re-entrant lock its calls take (Python's {@code get_lock()}).
     *
     * @throws IllegalStateException for a raw array, which has no lock
     */
    public final RLock getLock() {
        if (lock == null) {
            throw new IllegalStateException(this + " is a raw array and has no lock (Python's RawArray has no"
                    + " get_lock either); create it with ctx.array(...) for one, or use a lock of your own");
        }
        return lock;
    }

    /** The name of its shared memory segment. */
    public final String segmentName() {
        return memory.name();
    }

    /** Element {@code index}, boxed: for generic code. Prefer the typed {@code get(int)}. */
    public abstract Object getObject(int index);

    /**
     * Sets element {@code index} from a box of its type: for generic code.
     *
     * @throws IllegalArgumentException if {@code value} is not of its element type (or null)
     */
    public abstract void setObject(int index, Object value);

    /** The byte offset of element {@code index}, checked. */
    final int offset(int index) {
        if (index < 0 || index >= length) {
            throw new IndexOutOfBoundsException("index " + index + " is out of range for " + this + " of length "
                    + length);
        }
        return Segments.DATA + index * type.size;
    }

    /** Checks {@code from..to} (to exclusive) lies in the array. */
    final void checkRange(int from, int to) {
        if (from < 0 || to > length || from > to) {
            throw new IndexOutOfBoundsException("range " + from + ".." + to + " (end exclusive) is out of range for "
                    + this + " of length " + length);
        }
    }

    /**
     * Every type's {@code get(from, to)}: checks the range and, under the lock, between acquire fences, lets
     * {@code copy} read the elements from a buffer positioned at element {@code from}.
     */
    final <A> A readRange(int from, int to, Function<ByteBuffer, A> copy) {
        checkRange(from, to);
        enter();
        try {
            VarHandle.acquireFence();
            A values = copy.apply(bytesFrom(from));
            VarHandle.acquireFence();
            return values;
        } finally {
            exit();
        }
    }

    /**
     * Every type's {@code set(from, values)}: checks the range and, under the lock, after a release fence and
     * before a full one, lets {@code copy} write {@code count} elements to a buffer positioned at element
     * {@code from}.
     */
    final void writeRange(int from, int count, Consumer<ByteBuffer> copy) {
        checkRange(from, from + count);
        enter();
        try {
            VarHandle.releaseFence();
            copy.accept(bytesFrom(from));
            VarHandle.fullFence();
        } finally {
            exit();
        }
    }

    private ByteBuffer bytesFrom(int from) {
        return memory.buffer().position(Segments.DATA + from * type.size);
    }

    final IllegalArgumentException wrongType(Object value) {
        return new IllegalArgumentException(getClass().getSimpleName() + " holds " + type.primitive()
                + " elements; cannot store " + (value == null ? "null"
                        : "a " + value.getClass().getName() + " (" + value + ")"));
    }

    @Override
    public final HandleToken token() {
        return new Token(memory.name(), type.typecode(), lock);
    }

    @Override
    public final boolean equals(Object other) {
        return other instanceof SharedArray that && that.getClass() == getClass()
                && that.memory.name().equals(memory.name());
    }

    @Override
    public final int hashCode() {
        return memory.name().hashCode();
    }

    @Override
    public final String toString() {
        return getClass().getSimpleName() + "[" + memory.name() + (lock == null ? ", raw" : "") + "]";
    }

    /** The travelling form: the segment's name, the type code, and the lock (null for a raw array). */
    record Token(String segment, String type, RLock lock) implements HandleToken {
        private static final long serialVersionUID = 1L;

        @Override
        public SharedHandle resolve() {
            CType<?, ?, ?, ?> elements = CType.of(type);
            return elements.wrapArray(Segments.attach(segment, elements, true), lock);
        }
    }
}
