package io.multiprocess.sharedctypes;

import io.multiprocess.sharedmemory.SharedMemory;
import io.multiprocess.synchronize.RLock;

/**
 * A shared {@code long} (Python's {@code Value('q')}):
 * create it with {@code ctx.value(CType.LONG, initial)} or {@code ctx.rawValue(CType.LONG, initial)};
 * see {@link SharedValue}.
 * Atomic helpers: {@code getAndAdd}, {@code addAndGet}, {@code incrementAndGet}, {@code compareAndSet},
 * {@code getAndSet}.
 */
public final class LongValue extends SharedValue {

    LongValue(SharedMemory memory, RLock lock) {
        super(memory, CType.LONG, lock);
    }

    /** A new value holding {@code initial}, with a new lock when {@code lock} is true. */
    public static LongValue create(long initial, boolean lock) {
        LongValue value = new LongValue(newSegment(CType.LONG), lock ? RLock.create() : null);
        value.view.setLong(AT, initial);
        return value;
    }

    /** The value (Python's {@code v.value}); under the lock if synchronized. */
    public long get() {
        enter();
        try {
            return view.getLong(AT);
        } finally {
            exit();
        }
    }

    /** Sets the value (Python's {@code v.value = x}); under the lock if synchronized. */
    public void set(long value) {
        enter();
        try {
            view.setLong(AT, value);
        } finally {
            exit();
        }
    }

    /** Adds {@code delta} atomically; returns the value before. */
    public long getAndAdd(long delta) {
        enter();
        try {
            return view.getAndAddLong(AT, delta);
        } finally {
            exit();
        }
    }

    /** Adds {@code delta} atomically; returns the value after. */
    public long addAndGet(long delta) {
        return getAndAdd(delta) + delta;
    }

    /** Adds one atomically; returns the value after. */
    public long incrementAndGet() {
        return getAndAdd(1) + 1;
    }

    /** Subtracts one atomically; returns the value after. */
    public long decrementAndGet() {
        return getAndAdd(-1) - 1;
    }

    /** Sets it to {@code value} atomically; returns the value before. */
    public long getAndSet(long value) {
        enter();
        try {
            return view.getAndSetLong(AT, value);
        } finally {
            exit();
        }
    }

    /** Sets it to {@code value} if it is {@code expected}, atomically; returns whether it did. */
    public boolean compareAndSet(long expected, long value) {
        enter();
        try {
            return view.compareAndSetLong(AT, expected, value);
        } finally {
            exit();
        }
    }

    @Override
    public Object getObject() {
        return get();
    }

    @Override
    public void setObject(Object value) {
        if (!(value instanceof Long typed)) {
            throw wrongType(value);
        }
        set(typed);
    }
}
