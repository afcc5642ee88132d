package io.multiprocess.sharedctypes;

import io.multiprocess.sharedmemory.SharedMemory;
import io.multiprocess.synchronize.RLock;

/**
 * A fixed-length {@code byte} array in shared memory (Python's
 * {@code Array('b', ...)}): create it with
 * {@code ctx.array(CType.BYTE, sizeOrInitial)} or {@code ctx.rawArray(...)}; see {@link SharedArray}.
 */
public final class ByteArray extends SharedArray {

    ByteArray(SharedMemory memory, RLock lock) {
        super(memory, CType.BYTE, lock);
    }

    /** A new array of {@code length} zero (false) elements, with a new lock when {@code lock} is true. */
    public static ByteArray create(int length, boolean lock) {
        return new ByteArray(Segments.create(CType.BYTE, true, length), lock ? RLock.create() : null);
    }

    /** A new array holding a copy of {@code initial}, with a new lock when {@code lock} is true. */
    public static ByteArray create(byte[] initial, boolean lock) {
        ByteArray array = create(initial.length, lock);
        array.set(0, initial);
        return array;
    }

    /** Element {@code index} (Python's {@code a[index]}). */
    public byte get(int index) {
        int at = offset(index);
        enter();
        try {
            return view.getByte(at);
        } finally {
            exit();
        }
    }

    /** Sets element {@code index} (Python's {@code a[index] = value}). */
    public void set(int index, byte value) {
        int at = offset(index);
        enter();
        try {
            view.setByte(at, value);
        } finally {
            exit();
        }
    }

    /** Elements {@code from} (inclusive) to {@code to} (exclusive), copied (Python's {@code a[from:to]}). */
    public byte[] get(int from, int to) {
        return readRange(from, to, bytes -> {
            byte[] values = new byte[to - from];
            bytes.get(values);
            return values;
        });
    }

    /** Sets the elements from {@code from} on to {@code values} (Python's {@code a[from:from+n] = values}). */
    public void set(int from, byte[] values) {
        writeRange(from, values.length, bytes -> bytes.put(values));
    }

    /** Every element, copied (Python's {@code a[:]}). */
    public byte[] toArray() {
        return get(0, length);
    }

    @Override
    public Object getObject(int index) {
        return get(index);
    }

    @Override
    public void setObject(int index, Object value) {
        if (!(value instanceof Byte typed)) {
            throw wrongType(value);
        }
        set(index, typed);
    }
}
