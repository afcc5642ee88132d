package io.multiprocess.sharedctypes;

import io.multiprocess.sharedmemory.SharedMemory;
import io.multiprocess.synchronize.RLock;

/**
 * A shared {@code boolean} (Python's {@code Value('?')}):
 * create it with {@code ctx.value(CType.BOOLEAN, initial)} or {@code ctx.rawValue(CType.BOOLEAN, initial)};
 * see {@link SharedValue}.
 */
public final class BooleanValue extends SharedValue {

    BooleanValue(SharedMemory memory, RLock lock) {
        super(memory, CType.BOOLEAN, lock);
    }

    /** A new value holding {@code initial}, with a new lock when {@code lock} is true. */
    public static BooleanValue create(boolean initial, boolean lock) {
        BooleanValue value = new BooleanValue(newSegment(CType.BOOLEAN), lock ? RLock.create() : null);
        value.view.setByte(AT, (byte) (initial ? 1 : 0));
        return value;
    }

    /** The value (Python's {@code v.value}); under the lock if synchronized. */
    public boolean get() {
        enter();
        try {
            return view.getByte(AT) != 0;
        } finally {
            exit();
        }
    }

    /** Sets the value (Python's {@code v.value = x}); under the lock if synchronized. */
    public void set(boolean value) {
        enter();
        try {
            view.setByte(AT, (byte) (value ? 1 : 0));
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
        if (!(value instanceof Boolean typed)) {
            throw wrongType(value);
        }
        set(typed);
    }
}
