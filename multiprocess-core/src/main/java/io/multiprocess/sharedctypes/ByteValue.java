package io.multiprocess.sharedctypes;

import io.multiprocess.sharedmemory.SharedMemory;
import io.multiprocess.synchronize.RLock;

/**
 * A shared {@code byte} (Python's {@code Value('b')}):
 * create it with {@code ctx.value(CType.BYTE, initial)} or {@code ctx.rawValue(CType.BYTE, initial)};
 * see {@link SharedValue}.
 */
public final class ByteValue extends SharedValue {

    ByteValue(SharedMemory memory, RLock lock) {
        super(memory, CType.BYTE, lock);
    }

    /** A new value holding {@code initial}, with a new lock when {@code lock} is true. */
    public static ByteValue create(byte initial, boolean lock) {
        ByteValue value = new ByteValue(newSegment(CType.BYTE), lock ? RLock.create() : null);
        value.view.setByte(AT, initial);
        return value;
    }

    /** The value (Python's {@code v.value}); under the lock if synchronized. */
    public byte get() {
        enter();
        try {
            return view.getByte(AT);
        } finally {
            exit();
        }
    }

    /** Sets the value (Python's {@code v.value = x}); under the lock if synchronized. */
    public void set(byte value) {
        enter();
        try {
            view.setByte(AT, value);
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
        if (!(value instanceof Byte typed)) {
            throw wrongType(value);
        }
        set(typed);
    }
}
