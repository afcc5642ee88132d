package io.multiprocess.sharedctypes;

import io.multiprocess.sharedmemory.SharedMemory;
import io.multiprocess.synchronize.RLock;

/**
 * A fixed-length {@code int} array in shared memory (Python's
 * {@code Array('i', ...)}): create it with
 * {@code ctx.array(CType.INT, sizeOrInitial)} or {@code ctx.rawArray(...)}; see {@link SharedArray}.
 */
public final class IntArray extends SharedArray {

    IntArray(SharedMemory memory, RLock lock) {
        super(memory, CType.INT, lock);
    }

    /** A new array of {@code length} zero (false) elements, with a new lock when {@code lock} is true. */
    public static IntArray create(int length, boolean lock) {
        return new IntArray(Segments.create(CType.INT, true, length), lock ? RLock.create() : null);
    }

    /** A new array holding a copy of {@code initial}, with a new lock when {@code lock} is true. */
    public static IntArray create(int[] initial, boolean lock) {
        IntArray array = create(initial.length, lock);
        array.set(0, initial);
        return array;
    }

    /** Element {@code index} (Python's {@code a[index]}). */
    public int get(int index) {
        int at = offset(index);
        enter();
        try {
            return view.getInt(at);
        } finally {
            exit();
        }
    }

    /** Sets element {@code index} (Python's {@code a[index] = value}). */
    public void set(int index, int value) {
        int at = offset(index);
        enter();
        try {
            view.setInt(at, value);
        } finally {
            exit();
        }
    }

    /** Adds {@code delta} to element {@code index} atomically; returns the value before. */
    public int getAndAdd(int index, int delta) {
        int at = offset(index);
        enter();
        try {
            return view.getAndAddInt(at, delta);
        } finally {
            exit();
        }
    }

    /** Adds {@code delta} to element {@code index} atomically; returns the value after. */
    public int addAndGet(int index, int delta) {
        return getAndAdd(index, delta) + delta;
    }

    /** Sets element {@code index} to {@code value} if it is {@code expected}, atomically. */
    public boolean compareAndSet(int index, int expected, int value) {
        int at = offset(index);
        enter();
        try {
            return view.compareAndSetInt(at, expected, value);
        } finally {
            exit();
        }
    }

    /** Elements {@code from} (inclusive) to {@code to} (exclusive), copied (Python's {@code a[from:to]}). */
    public int[] get(int from, int to) {
        return readRange(from, to, bytes -> {
            int[] values = new int[to - from];
            bytes.asIntBuffer().get(values);
            return values;
        });
    }

    /** Sets the elements from {@code from} on to {@code values} (Python's {@code a[from:from+n] = values}). */
    public void set(int from, int[] values) {
        writeRange(from, values.length, bytes -> bytes.asIntBuffer().put(values));
    }

    /** Every element, copied (Python's {@code a[:]}). */
    public int[] toArray() {
        return get(0, length);
    }

    @Override
    public Object getObject(int index) {
        return get(index);
    }

    @Override
    public void setObject(int index, Object value) {
        if (!(value instanceof Integer typed)) {
            throw wrongType(value);
        }
        set(index, typed);
    }
}
