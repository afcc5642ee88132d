package io.multiprocess.sharedctypes;

import io.multiprocess.sharedmemory.SharedMemory;
import io.multiprocess.synchronize.RLock;

/**
 * A fixed-length {@code char} array in shared memory (Python's
 * {@code Array('u', ...)}): create it with
 * {@code ctx.array(CType.CHAR, sizeOrInitial)} or {@code ctx.rawArray(...)}; see {@link SharedArray}.
 */
public final class CharArray extends SharedArray {

    CharArray(SharedMemory memory, RLock lock) {
        super(memory, CType.CHAR, lock);
    }

    /** A new array of {@code length} zero (false) elements, with a new lock when {@code lock} is true. */
    public static CharArray create(int length, boolean lock) {
        return new CharArray(Segments.create(CType.CHAR, true, length), lock ? RLock.create() : null);
    }

    /** A new array holding a copy of {@code initial}, with a new lock when {@code lock} is true. */
    public static CharArray create(char[] initial, boolean lock) {
        CharArray array = create(initial.length, lock);
        array.set(0, initial);
        return array;
    }

    /** Element {@code index} (Python's {@code a[index]}). */
    public char get(int index) {
        int at = offset(index);
        enter();
        try {
            return view.getChar(at);
        } finally {
            exit();
        }
    }

    /** Sets element {@code index} (Python's {@code a[index] = value}). */
    public void set(int index, char value) {
        int at = offset(index);
        enter();
        try {
            view.setChar(at, value);
        } finally {
            exit();
        }
    }

    /** Elements {@code from} (inclusive) to {@code to} (exclusive), copied (Python's {@code a[from:to]}). */
    public char[] get(int from, int to) {
        return readRange(from, to, bytes -> {
            char[] values = new char[to - from];
            bytes.asCharBuffer().get(values);
            return values;
        });
    }

    /** Sets the elements from {@code from} on to {@code values} (Python's {@code a[from:from+n] = values}). */
    public void set(int from, char[] values) {
        writeRange(from, values.length, bytes -> bytes.asCharBuffer().put(values));
    }

    /** Every element, copied (Python's {@code a[:]}). */
    public char[] toArray() {
        return get(0, length);
    }

    @Override
    public Object getObject(int index) {
        return get(index);
    }

    @Override
    public void setObject(int index, Object value) {
        if (!(value instanceof Character typed)) {
            throw wrongType(value);
        }
        set(index, typed);
    }
}
