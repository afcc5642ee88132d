package io.multiprocess.sharedctypes;

import io.multiprocess.sharedmemory.SharedMemory;
import io.multiprocess.synchronize.RLock;

/**
 * A shared {@code int} (Python's {@code Value('i')}):
 * create it with {@code ctx.value(CType.INT, initial)} or {@code ctx.rawValue(CType.INT, initial)};
 * see {@link SharedValue}.
 * Atomic helpers: {@code getAndAdd}, {@code addAndGet}, {@code incrementAndGet}, {@code compareAndSet},
 * {@code getAndSet}.
 */
public final class IntValue extends SharedValue {

    IntValue(SharedMemory memory, RLock lock) {
        super(memory, CType.INT, lock);
    }

    /** A new value holding {@code initial}, with a new lock when {@code lock} is true. */
    public static IntValue create(int initial, boolean lock) {
        IntValue value = new IntValue(newSegment(CType.INT), lock ? RLock.create() : null);
        value.view.setInt(AT, initial);
        return value;
    }

    /** The value (Python's {@code v.value}); under the lock if synchronized. */
    public int get() {
        enter();
        try {
            return view.getInt(AT);
        } finally {
            exit();
        }
    }

    /** Sets the value (Python's {@code v.value = x}); under the lock if synchronized. */
    public void set(int value) {
        enter();
        try {
            view.setInt(AT, value);
        } finally {
            exit();
        }
    }

    /** Adds {@code delta} atomically; returns the value before. */
    public int getAndAdd(int delta) {
        enter();
        try {
            return view.getAndAddInt(AT, delta);
        } finally {
            exit();
        }
    }

    /** Adds {@code delta} atomically; returns the value after. */
    public int addAndGet(int delta) {
        return getAndAdd(delta) + delta;
    }

    /** Adds one atomically; returns the value after. */
    public int incrementAndGet() {
        return getAndAdd(1) + 1;
    }

    /** Subtracts one atomically; returns the value after. */
    public int decrementAndGet() {
        return getAndAdd(-1) - 1;
    }

    /** Sets it to {@code value} atomically; returns the value before. */
    public int getAndSet(int value) {
        enter();
        try {
            return view.getAndSetInt(AT, value);
        } finally {
            exit();
        }
    }

    /** Sets it to {@code value} if it is {@code expected}, atomically; returns whether it did. */
    public boolean compareAndSet(int expected, int value) {
        enter();
        try {
            return view.compareAndSetInt(AT, expected, value);
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
        if (!(value instanceof Integer typed)) {
            throw wrongType(value);
        }
        set(typed);
    }
}
