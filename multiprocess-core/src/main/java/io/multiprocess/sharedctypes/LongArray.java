package io.multiprocess.sharedctypes;

import io.multiprocess.sharedmemory.SharedMemory;
import io.multiprocess.synchronize.RLock;

/**
 * A fixed-length {@code long} array in shared memory (Python's
 * {@code Array('q', ...)}): create it with
 * {@code ctx.array(CType.LONG, sizeOrInitial)} or {@code ctx.rawArray(...)}; see {@link SharedArray}.
 */
public final class LongArray extends SharedArray {

    LongArray(SharedMemory memory, RLock lock) {
        super(memory, CType.LONG, lock);
    }

    /** A new array of {@code length} zero (false) elements, with a new lock when {@code lock} is true. */
    public static LongArray create(int length, boolean lock) {
        return new LongArray(Segments.create(CType.LONG, true, length), lock ? RLock.create() : null);
    }

    /** A new array holding a copy of {@code initial}, with a new lock when {@code lock} is true. */
    public static LongArray create(long[] initial, boolean lock) {
        LongArray array = create(initial.length, lock);
        array.set(0, initial);
        return array;
    }

    /** Element {@code index} (Python's {@code a[index]}). */
    public long get(int index) {
        int at = offset(index);
        enter();
        try {
            return view.getLong(at);
        } finally {
            exit();
        }
    }

    /** Sets element {@code index} (Python's {@code a[index] = value}). */
    public void set(int index, long value) {
        int at = offset(index);
        enter();
        try {
            view.setLong(at, value);
        } finally {
            exit();
        }
    }

    /** Adds {@code delta} to element {@code index} atomically; returns the value before. */
    public long getAndAdd(int index, long delta) {
        int at = offset(index);
        enter();
        try {
            return view.getAndAddLong(at, delta);
        } finally {
            exit();
        }
    }

    /** Adds {@code delta} to element {@code index} atomically; returns the value after. */
    public long addAndGet(int index, long delta) {
        return getAndAdd(index, delta) + delta;
    }

    /** Sets element {@code index} to {@code value} if it is {@code expected}, atomically. */
    public boolean compareAndSet(int index, long expected, long value) {
        int at = offset(index);
        enter();
        try {
            return view.compareAndSetLong(at, expected, value);
        } finally {
            exit();
        }
    }

    /** Elements {@code from} (inclusive) to {@code to} (exclusive), copied (Python's {@code a[from:to]}). */
    public long[] get(int from, int to) {
        return readRange(from, to, bytes -> {
            long[] values = new long[to - from];
            bytes.asLongBuffer().get(values);
            return values;
        });
    }

    /** Sets the elements from {@code from} on to {@code values} (Python's {@code a[from:from+n] = values}). */
    public void set(int from, long[] values) {
        writeRange(from, values.length, bytes -> bytes.asLongBuffer().put(values));
    }

    /** Every element, copied (Python's {@code a[:]}). */
    public long[] toArray() {
        return get(0, length);
    }

    @Override
    public Object getObject(int index) {
        return get(index);
    }

    @Override
    public void setObject(int index, Object value) {
        if (!(value instanceof Long typed)) {
            throw wrongType(value);
        }
        set(index, typed);
    }
}
