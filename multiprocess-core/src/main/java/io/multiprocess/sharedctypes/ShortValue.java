package io.multiprocess.sharedctypes;

import io.multiprocess.sharedmemory.SharedMemory;
import io.multiprocess.synchronize.RLock;

/**
 * A shared {@code short} (Python's {@code Value('h')}):
 * create it with {@code ctx.value(CType.SHORT, initial)} or {@code ctx.rawValue(CType.SHORT, initial)};
 * see {@link SharedValue}.
 */
public final class ShortValue extends SharedValue {

    ShortValue(SharedMemory memory, RLock lock) {
        super(memory, CType.SHORT, lock);
    }

    /** A new value holding {@code initial}, with a new lock when {@code lock} is true. */
    public static ShortValue create(short initial, boolean lock) {
        ShortValue value = new ShortValue(newSegment(CType.SHORT), lock ? RLock.create() : null);
        value.view.setShort(AT, initial);
        return value;
    }

    /** The value (Python's {@code v.value}); under the lock if synchronized. */
    public short get() {
        enter();
        try {
            return view.getShort(AT);
        } finally {
            exit();
        }
    }

    /** Sets the value (Python's {@code v.value = x}); under the lock if synchronized. */
    public void set(short value) {
        enter();
        try {
            view.setShort(AT, value);
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
        if (!(value instanceof Short typed)) {
            throw wrongType(value);
        }
        set(typed);
    }
}
