package io.multiprocess.sharedctypes;

import io.multiprocess.sharedmemory.SharedMemory;
import io.multiprocess.synchronize.RLock;

/**
 * A fixed-length {@code double} array in shared memory (Python's
 * {@code Array('d', ...)}): create it with
 * {@code ctx.array(CType.DOUBLE, sizeOrInitial)} or {@code ctx.rawArray(...)}; see {@link SharedArray}.
 */
public final class DoubleArray extends SharedArray {

    DoubleArray(SharedMemory memory, RLock lock) {
        super(memory, CType.DOUBLE, lock);
    }

    /** A new array of {@code length} zero (false) elements, with a new lock when {@code lock} is true. */
    public static DoubleArray create(int length, boolean lock) {
        return new DoubleArray(Segments.create(CType.DOUBLE, true, length), lock ? RLock.create() : null);
    }

    /** A new array holding a copy of {@code initial}, with a new lock when {@code lock} is true. */
    public static DoubleArray create(double[] initial, boolean lock) {
        DoubleArray array = create(initial.length, lock);
        array.set(0, initial);
        return array;
    }

    /** Element {@code index} (Python's {@code a[index]}). */
    public double get(int index) {
        int at = offset(index);
        enter();
        try {
            return view.getDouble(at);
        } finally {
            exit();
        }
    }

    /** Sets element {@code index} (Python's {@code a[index] = value}). */
    public void set(int index, double value) {
        int at = offset(index);
        enter();
        try {
            view.setDouble(at, value);
        } finally {
            exit();
        }
    }

    /** Sets element {@code index} to {@code value} if it is {@code expected}, atomically. */
    public boolean compareAndSet(int index, double expected, double value) {
        int at = offset(index);
        enter();
        try {
            return view.compareAndSetDouble(at, expected, value);
        } finally {
            exit();
        }
    }

    /** Elements {@code from} (inclusive) to {@code to} (exclusive), copied (Python's {@code a[from:to]}). */
    public double[] get(int from, int to) {
        return readRange(from, to, bytes -> {
            double[] values = new double[to - from];
            bytes.asDoubleBuffer().get(values);
            return values;
        });
    }

    /** Sets the elements from {@code from} on to {@code values} (Python's {@code a[from:from+n] = values}). */
    public void set(int from, double[] values) {
        writeRange(from, values.length, bytes -> bytes.asDoubleBuffer().put(values));
    }

    /** Every element, copied (Python's {@code a[:]}). */
    public double[] toArray() {
        return get(0, length);
    }

    @Override
    public Object getObject(int index) {
        return get(index);
    }

    @Override
    public void setObject(int index, Object value) {
        if (!(value instanceof Double typed)) {
            throw wrongType(value);
        }
        set(index, typed);
    }
}
