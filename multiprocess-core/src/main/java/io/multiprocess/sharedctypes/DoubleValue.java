package io.multiprocess.sharedctypes;

import io.multiprocess.sharedmemory.SharedMemory;
import io.multiprocess.synchronize.RLock;

/**
 * A shared {@code double} (Python's {@code Value('d')}):
 * create it with {@code ctx.value(CType.DOUBLE, initial)} or {@code ctx.rawValue(CType.DOUBLE, initial)};
 * see {@link SharedValue}.
 * Atomic helper: {@code compareAndSet} (bit for bit).
 */
public final class DoubleValue extends SharedValue {

    DoubleValue(SharedMemory memory, RLock lock) {
        super(memory, CType.DOUBLE, lock);
    }

    /** A new value holding {@code initial}, with a new lock when {@code lock} is true. */
    public static DoubleValue create(double initial, boolean lock) {
        DoubleValue value = new DoubleValue(newSegment(CType.DOUBLE), lock ? RLock.create() : null);
        value.view.setDouble(AT, initial);
        return value;
    }

    /** The value (Python's {@code v.value}); under the lock if synchronized. */
    public double get() {
        enter();
        try {
            return view.getDouble(AT);
        } finally {
            exit();
        }
    }

    /** Sets the value (Python's {@code v.value = x}); under the lock if synchronized. */
    public void set(double value) {
        enter();
        try {
            view.setDouble(AT, value);
        } finally {
            exit();
        }
    }

    /** Sets it to {@code value} if it is {@code expected}, atomically; returns whether it did. */
    public boolean compareAndSet(double expected, double value) {
        enter();
        try {
            return view.compareAndSetDouble(AT, expected, value);
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
        if (!(value instanceof Double typed)) {
            throw wrongType(value);
        }
        set(typed);
    }
}
