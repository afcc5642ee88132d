package io.multiprocess.sharedctypes;

import io.multiprocess.sharedmemory.SharedMemory;
import io.multiprocess.synchronize.RLock;

/**
 * A fixed-length {@code short} array in shared memory (Python's
 * {@code Array('h', ...)}): create it with
 * {@code ctx.array(CType.SHORT, sizeOrInitial)} or {@code ctx.rawArray(...)}; see {@link SharedArray}.
 */
public final class ShortArray extends SharedArray {

    ShortArray(SharedMemory memory, RLock lock) {
        super(memory, CType.SHORT, lock);
    }

    /** A new array of {@code length} zero (false) elements, with a new lock when {@code lock} is true. */
    public static ShortArray create(int length, boolean lock) {
        return new ShortArray(Segments.create(CType.SHORT, true, length), lock ? RLock.create() : null);
    }

    /** A new array holding a copy of {@code initial}, with a new lock when {@code lock} is true. */
    public static ShortArray create(short[] initial, boolean lock) {
        ShortArray array = create(initial.length, lock);
        array.set(0, initial);
        return array;
    }

    /** Element {@code index} (Python's {@code a[index]}). */
    public short get(int index) {
        int at = offset(index);
        enter();
        try {
            return view.getShort(at);
        } finally {
            exit();
        }
    }

    /** Sets element {@code index} (Python's {@code a[index] = value}). */
    public void set(int index, short value) {
        int at = offset(index);
        enter();
        try {
            view.setShort(at, value);
        } finally {
            exit();
        }
    }

    /** Elements {@code from} (inclusive) to {@code to} (exclusive), copied (Python's {@code a[from:to]}). */
    public short[] get(int from, int to) {
        return readRange(from, to, bytes -> {
            short[] values = new short[to - from];
            bytes.asShortBuffer().get(values);
            return values;
        });
    }

    /** Sets the elements from {@code from} on to {@code values} (Python's {@code a[from:from+n] = values}). */
    public void set(int from, short[] values) {
        writeRange(from, values.length, bytes -> bytes.asShortBuffer().put(values));
    }

    /** Every element, copied (Python's {@code a[:]}). */
    public short[] toArray() {
        return get(0, length);
    }

    @Override
    public Object getObject(int index) {
        return get(index);
    }

    @Override
    public void setObject(int index, Object value) {
        if (!(value instanceof Short typed)) {
            throw wrongType(value);
        }
        set(index, typed);
    }
}
