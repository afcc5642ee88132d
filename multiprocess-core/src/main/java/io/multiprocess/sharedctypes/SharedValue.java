package io.multiprocess.sharedctypes;

import io.multiprocess.reduction.HandleToken;
import io.multiprocess.reduction.SharedHandle;
import io.multiprocess.sharedmemory.AtomicView;
import io.multiprocess.sharedmemory.SharedMemory;
import io.multiprocess.synchronize.RLock;

/**
 * One primitive value in shared memory, read and written by every process it reaches: Python's
 * {@code multiprocessing.Value} ({@code ctx.value(...)}, synchronized) and {@code RawValue}
 * ({@code ctx.rawValue(...)}, no lock). There is one final class per primitive type, so {@code get()} and
 * {@code set()} take and return the primitive itself (no boxing): {@link IntValue}, {@link LongValue},
 * {@link ShortValue}, {@link ByteValue}, {@link CharValue}, {@link FloatValue}, {@link DoubleValue},
 * {@link BooleanValue}.
 *
 * <pre>{@code
 * IntValue counter = ctx.value(CType.INT, 0);            // Python: Value('i', 0)
 * ctx.process(() -> {
 *     try (Held held = counter.getLock().hold()) {        // with counter.get_lock():
 *         counter.set(counter.get() + 1);                 //     counter.value += 1
 *     }
 * }).start();
 * counter.incrementAndGet();                              // the same, as one call
 * }</pre>
 *
 * <p>A synchronized value takes its {@link RLock} (re-entrant, so a thread holding {@link #getLock()} may call
 * them) around every {@code get}, {@code set} and atomic helper, as Python's synchronized wrapper does; a raw value
 * takes none and {@link #getLock()} refuses. Each read and write is a volatile access of the shared word either way,
 * so a raw value is never torn and its {@code int}/{@code long} atomic helpers ({@code getAndAdd},
 * {@code compareAndSet}) are single atomic instructions across processes.
 *
 * <p>It travels as a token (its segment's name, type and lock) through every reducer; the receiver maps the same
 * memory. Equal handles are handles on the same memory.
 */
public abstract sealed class SharedValue implements SharedHandle
        permits IntValue, LongValue, ShortValue, ByteValue, CharValue, FloatValue, DoubleValue, BooleanValue {

    static final int AT = Segments.DATA;

    final SharedMemory memory;
    final AtomicView view;
    final RLock lock;
    private final CType<?, ?, ?, ?> type;

    SharedValue(SharedMemory memory, CType<?, ?, ?, ?> type, RLock lock) {
        this.memory = memory;
        this.view = AtomicView.of(memory);
        this.type = type;
        this.lock = lock;
    }

    /** A new segment for one value of {@code type}, zero. */
    static SharedMemory newSegment(CType<?, ?, ?, ?> type) {
        return Segments.create(type, false, 1);
    }

    /** The primitive type it holds, e.g. {@code int.class}. */
    public final Class<?> type() {
        return type.primitive();
    }

    /** The type token it was made with, e.g. {@link CType#INT}: for code that handles values of any type. */
    public final CType<?, ?, ?, ?> ctype() {
        return type;
    }

    /** Python's type code for it ({@code "i"}, {@code "q"}, {@code "d"}, ...). */
    public final String typecode() {
        return type.typecode();
    }

    /** Whether every access takes a lock ({@code ctx.value}); false for {@code ctx.rawValue}. */
    public final boolean isSynchronized() {
        return lock != null;
    }

    /**
     * Takes the lock of a synchronized value, nothing for a raw one: every access of the subclasses is
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
     * The cross-process re-entrant lock its accesses take (Python's {@code get_lock()}): hold it to make several
     * accesses one step, e.g. a read-modify-write.
     *
     * @throws IllegalStateException for a raw value, which has no lock
     */
    public final RLock getLock() {
        if (lock == null) {
            throw new IllegalStateException(this + " is a raw value and has no lock (Python's RawValue has no"
                    + " get_lock either); create it with ctx.value(...) for one, or use a lock of your own");
        }
        return lock;
    }

    /** The name of its shared memory segment. */
    public final String segmentName() {
        return memory.name();
    }

    /** The value, boxed: for generic code. Prefer the typed {@code get()}. */
    public abstract Object getObject();

    /**
     * Sets the value from a box of its type: for generic code. Prefer the typed {@code set}.
     *
     * @throws IllegalArgumentException if {@code value} is not of its type (or null)
     */
    public abstract void setObject(Object value);

    final IllegalArgumentException wrongType(Object value) {
        return new IllegalArgumentException(getClass().getSimpleName() + " holds a " + type.primitive()
                + "; cannot set it to " + (value == null ? "null"
                        : "a " + value.getClass().getName() + " (" + value + ")"));
    }

    @Override
    public final HandleToken token() {
        return new Token(memory.name(), type.typecode(), lock);
    }

    @Override
    public final boolean equals(Object other) {
        return other instanceof SharedValue that && that.getClass() == getClass()
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

    /** The travelling form: the segment's name, the type code, and the lock (null for a raw value). */
    record Token(String segment, String type, RLock lock) implements HandleToken {
        private static final long serialVersionUID = 1L;

        @Override
        public SharedHandle resolve() {
            CType<?, ?, ?, ?> elements = CType.of(type);
            return elements.wrapValue(Segments.attach(segment, elements, false), lock);
        }
    }
}
