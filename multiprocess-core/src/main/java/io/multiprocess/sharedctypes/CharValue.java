package io.multiprocess.sharedctypes;

import io.multiprocess.sharedmemory.SharedMemory;
import io.multiprocess.synchronize.RLock;

/**
 * A shared {@code char} (Python's {@code Value('u')}):
 * create it with {@code ctx.value(CType.CHAR, initial)} or {@code ctx.rawValue(CType.CHAR, initial)};
 * see {@link SharedValue}.
 */
public final class CharValue extends SharedValue {

    CharValue(SharedMemory memory, RLock lock) {
        super(memory, CType.CHAR, lock);
    }

    /** A new value holding {@code initial}, with a new lock when {@code lock} is true. */
    public static CharValue create(char initial, boolean lock) {
        CharValue value = new CharValue(newSegment(CType.CHAR), lock ? RLock.create() : null);
        value.view.setChar(AT, initial);
        return value;
    }

    /** The value (Python's {@code v.value}); under the lock if synchronized. */
    public char get() {
        enter();
        try {
            return view.getChar(AT);
        } finally {
            exit();
        }
    }

    /** Sets the value (Python's {@code v.value = x}); under the lock if synchronized. */
    public void set(char value) {
        enter();
        try {
            view.setChar(AT, value);
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
        if (!(value instanceof Character typed)) {
            throw wrongType(value);
        }
        set(typed);
    }
}
