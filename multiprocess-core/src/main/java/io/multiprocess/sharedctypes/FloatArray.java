package io.multiprocess.sharedctypes;

import io.multiprocess.sharedmemory.SharedMemory;
import io.multiprocess.synchronize.RLock;

/**
 * A fixed-length {@code float} array in shared memory (Python's
 * {@code Array('f', ...)}): create it with
 * {@code ctx.array(CType.FLOAT, sizeOrInitial)} or {@code ctx.rawArray(...)}; see {@link SharedArray}.
 */
public final class FloatArray extends SharedArray {

    FloatArray(SharedMemory memory, RLock lock) {
        super(memory, CType.FLOAT, lock);
    }

    /** A new array of {@code length} zero (false) elements, with a new lock when {@code lock} is true. */
    public static FloatArray create(int length, boolean lock) {
        return new FloatArray(Segments.create(CType.FLOAT, true, length), lock ? RLock.create() : null);
    }

    /** A new array holding a copy of {@code initial}, with a new lock when {@code lock} is true. */
    public static FloatArray create(float[] initial, boolean lock) {
        FloatArray array = create(initial.length, lock);
        array.set(0, initial);
        return array;
    }

    /** Element {@code index} (Python's {@code a[index]}). */
    public float get(int index) {
        int at = offset(index);
        enter();
        try {
            return view.getFloat(at);
        } finally {
            exit();
        }
    }

    /** Sets element {@code index} (Python's {@code a[index] = value}). */
    public void set(int index, float value) {
        int at = offset(index);
        enter();
        try {
            view.setFloat(at, value);
        } finally {
            exit();
        }
    }

    /** Sets element {@code index} to {@code value} if it is {@code expected}, atomically. */
    public boolean compareAndSet(int index, float expected, float value) {
        int at = offset(index);
        enter();
        try {
            return view.compareAndSetFloat(at, expected, value);
        } finally {
            exit();
        }
    }

    /** Elements {@code from} (inclusive) to {@code to} (exclusive), copied (Python's {@code a[from:to]}). */
    public float[] get(int from, int to) {
        return readRange(from, to, bytes -> {
            float[] values = new float[to - from];
            bytes.asFloatBuffer().get(values);
            return values;
        });
    }

    /** Sets the elements from {@code from} on to {@code values} (Python's {@code a[from:from+n] = values}). */
    public void set(int from, float[] values) {
        writeRange(from, values.length, bytes -> bytes.asFloatBuffer().put(values));
    }

    /** Every element, copied (Python's {@code a[:]}). */
    public float[] toArray() {
        return get(0, length);
    }

    @Override
    public Object getObject(int index) {
        return get(index);
    }

    @Override
    public void setObject(int index, Object value) {
        if (!(value instanceof Float typed)) {
            throw wrongType(value);
        }
        set(index, typed);
    }
}
