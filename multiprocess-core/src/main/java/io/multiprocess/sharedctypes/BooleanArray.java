package io.multiprocess.sharedctypes;

import io.multiprocess.sharedmemory.SharedMemory;
import io.multiprocess.synchronize.RLock;

/**
 * A fixed-length {@code boolean} array in shared memory (Python's
 * {@code Array('?', ...)}): create it with
 * {@code ctx.array(CType.BOOLEAN, sizeOrInitial)} or {@code ctx.rawArray(...)}; see {@link SharedArray}.
 */
public final class BooleanArray extends SharedArray {

    BooleanArray(SharedMemory memory, RLock lock) {
        super(memory, CType.BOOLEAN, lock);
    }

    /** A new array of {@code length} zero (false) elements, with a new lock when {@code lock} is true. */
    public static BooleanArray create(int length, boolean lock) {
        return new BooleanArray(Segments.create(CType.BOOLEAN, true, length), lock ? RLock.create() : null);
    }

    /** A new array holding a copy of {@code initial}, with a new lock when {@code lock} is true. */
    public static BooleanArray create(boolean[] initial, boolean lock) {
        BooleanArray array = create(initial.length, lock);
        array.set(0, initial);
        return array;
    }

    /** Element {@code index} (Python's {@code a[index]}). */
    public boolean get(int index) {
        int at = offset(index);
        enter();
        try {
            return view.getByte(at) != 0;
        } finally {
            exit();
        }
    }

    /** Sets element {@code index} (Python's {@code a[index] = value}). */
    public void set(int index, boolean value) {
        int at = offset(index);
        enter();
        try {
            view.setByte(at, (byte) (value ? 1 : 0));
        } finally {
            exit();
        }
    }

    /** Elements {@code from} (inclusive) to {@code to} (exclusive), copied (Python's {@code a[from:to]}). */
    public boolean[] get(int from, int to) {
        return readRange(from, to, bytes -> {
            boolean[] values = new boolean[to - from];
            for (int i = 0; i < values.length; i++) {
                values[i] = bytes.get() != 0;
            }
            return values;
        });
    }

    /** Sets the elements from {@code from} on to {@code values} (Python's {@code a[from:from+n] = values}). */
    public void set(int from, boolean[] values) {
        writeRange(from, values.length, bytes -> {
            for (boolean value : values) {
                bytes.put((byte) (value ? 1 : 0));
            }
        });
    }

    /** Every element, copied (Python's {@code a[:]}). */
    public boolean[] toArray() {
        return get(0, length);
    }

    @Override
    public Object getObject(int index) {
        return get(index);
    }

    @Override
    public void setObject(int index, Object value) {
        if (!(value instanceof Boolean typed)) {
            throw wrongType(value);
        }
        set(index, typed);
    }
}
