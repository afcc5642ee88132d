package io.multiprocess.sharedctypes;

import io.multiprocess.sharedmemory.SharedMemory;
import io.multiprocess.synchronize.RLock;

/**
 * A shared {@code float} (Python's {@code Value('f')}):
 * create it with {@code ctx.value(CType.FLOAT, initial)} or {@code ctx.rawValue(CType.FLOAT, initial)};
 * see {@link SharedValue}.
 * Atomic helper: {@code compareAndSet} (bit for bit).
 */
public final class FloatValue extends SharedValue {

    FloatValue(SharedMemory memory, RLock lock) {
        super(memory, CType.FLOAT, lock);
    }

    /** A new value holding {@code initial}, with a new lock when {@code lock} is true. */
    public static FloatValue create(float initial, boolean lock) {
        FloatValue value = new FloatValue(newSegment(CType.FLOAT), lock ? RLock.create() : null);
        value.view.setFloat(AT, initial);
        return value;
    }

    /** The value (Python's {@code v.value}); under the lock if synchronized. */
    public float get() {
        enter();
        try {
            return view.getFloat(AT);
        } finally {
            exit();
        }
    }

    /** Sets the value (Python's {@code v.value = x}); under the lock if synchronized. */
    public void set(float value) {
        enter();
        try {
            view.setFloat(AT, value);
        } finally {
            exit();
        }
    }

    /** Sets it to {@code value} if it is {@code expected}, atomically; returns whether it did. */
    public boolean compareAndSet(float expected, float value) {
        enter();
        try {
            return view.compareAndSetFloat(AT, expected, value);
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
        if (!(value instanceof Float typed)) {
            throw wrongType(value);
        }
        set(typed);
    }
}
