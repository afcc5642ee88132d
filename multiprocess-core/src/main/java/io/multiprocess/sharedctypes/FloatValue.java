package io.multiprocess.sharedctypes;

import io.multiprocess.sharedmemory.SharedMemory;
import io.multiprocess.synchronize.RLock;

/**
 * A {@code float} in shared memory (Python's {@code Value('f')}):
 * create it with {@code ctx.value(float.class, initial)} or {@code ctx.rawValue(float.class, initial)};
 * see {@link SharedValue}.
 * Atomic helper: {@code compareAndSet} (bit for bit).
 */
public final class FloatValue extends SharedValue {

    FloatValue(SharedMemory memory, RLock lock) {
        super(memory, ElementType.FLOAT, lock);
    }

    /** A new value holding {@code initial}, with a new lock when {@code lock} is true. */
    public static FloatValue create(float initial, boolean lock) {
        FloatValue value = new FloatValue(newSegment(ElementType.FLOAT), lock ? RLock.create() : null);
        value.view.setFloat(AT, initial);
        return value;
    }

    /** The value (Python's {@code v.value}); under the lock if synchronized. */
    public float get() {
        if (lock == null) {
            return view.getFloat(AT);
        }
        lock.acquire();
        try {
            return view.getFloat(AT);
        } finally {
            lock.release();
        }
    }

    /** Sets the value (Python's {@code v.value = x}); under the lock if synchronized. */
    public void set(float value) {
        if (lock == null) {
            view.setFloat(AT, value);
            return;
        }
        lock.acquire();
        try {
            view.setFloat(AT, value);
        } finally {
            lock.release();
        }
    }

    /** Sets it to {@code value} if it is {@code expected}, atomically; returns whether it did. */
    public boolean compareAndSet(float expected, float value) {
        if (lock == null) {
            return view.compareAndSetFloat(AT, expected, value);
        }
        lock.acquire();
        try {
            return view.compareAndSetFloat(AT, expected, value);
        } finally {
            lock.release();
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
