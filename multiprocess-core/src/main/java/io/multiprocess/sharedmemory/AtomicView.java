package io.multiprocess.sharedmemory;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;

/**
 * Atomic access to 64-bit and 32-bit words of a {@link SharedMemory} segment, for objects that several processes
 * update at once (locks, semaphores, shared values). Offsets are in bytes and must be multiples of the word size
 * (8 for longs, 4 for ints); words are in the machine's native byte order. A compare-and-set here is one CPU
 * instruction on memory every attached process maps, so it is atomic across processes as well as threads.
 *
 * <p>Plain {@code java.lang.invoke} {@link VarHandle}s over the mapped buffer: no {@code Unsafe}, no JNI, no
 * {@code --add-opens}. The view keeps the mapping alive while it is used, even if its {@link SharedMemory} handle
 * is closed.
 */
public final class AtomicView {

    private static final VarHandle LONGS = MethodHandles.byteBufferViewVarHandle(long[].class,
            ByteOrder.nativeOrder());
    private static final VarHandle INTS = MethodHandles.byteBufferViewVarHandle(int[].class,
            ByteOrder.nativeOrder());
    private static final VarHandle SHORTS = MethodHandles.byteBufferViewVarHandle(short[].class,
            ByteOrder.nativeOrder());
    private static final VarHandle CHARS = MethodHandles.byteBufferViewVarHandle(char[].class,
            ByteOrder.nativeOrder());
    private static final VarHandle FLOATS = MethodHandles.byteBufferViewVarHandle(float[].class,
            ByteOrder.nativeOrder());
    private static final VarHandle DOUBLES = MethodHandles.byteBufferViewVarHandle(double[].class,
            ByteOrder.nativeOrder());

    private final MappedByteBuffer buffer;

    private AtomicView(MappedByteBuffer buffer) {
        this.buffer = buffer;
    }

    /** A view of {@code memory}'s words. */
    public static AtomicView of(SharedMemory memory) {
        return new AtomicView(memory.mappedBuffer());
    }

    /** The segment's size in bytes. */
    public int size() {
        return buffer.capacity();
    }

    /** Reads the long at {@code offset} with volatile semantics. */
    public long getLong(int offset) {
        return (long) LONGS.getVolatile(buffer, offset);
    }

    /** Reads the long at {@code offset} with acquire semantics. */
    public long getLongAcquire(int offset) {
        return (long) LONGS.getAcquire(buffer, offset);
    }

    /** Writes the long at {@code offset} with volatile semantics. */
    public void setLong(int offset, long value) {
        LONGS.setVolatile(buffer, offset, value);
    }

    /** Writes the long at {@code offset} with release semantics: earlier writes are visible first. */
    public void setLongRelease(int offset, long value) {
        LONGS.setRelease(buffer, offset, value);
    }

    /** Sets the long at {@code offset} to {@code value} if it is {@code expected}; returns whether it did. */
    public boolean compareAndSetLong(int offset, long expected, long value) {
        return LONGS.compareAndSet(buffer, offset, expected, value);
    }

    /** Adds {@code delta} to the long at {@code offset}; returns the value before. */
    public long getAndAddLong(int offset, long delta) {
        return (long) LONGS.getAndAdd(buffer, offset, delta);
    }

    /** Sets the long at {@code offset}; returns the value before. */
    public long getAndSetLong(int offset, long value) {
        return (long) LONGS.getAndSet(buffer, offset, value);
    }

    /** Reads the int at {@code offset} with volatile semantics. */
    public int getInt(int offset) {
        return (int) INTS.getVolatile(buffer, offset);
    }

    /** Writes the int at {@code offset} with volatile semantics. */
    public void setInt(int offset, int value) {
        INTS.setVolatile(buffer, offset, value);
    }

    /** Sets the int at {@code offset} to {@code value} if it is {@code expected}; returns whether it did. */
    public boolean compareAndSetInt(int offset, int expected, int value) {
        return INTS.compareAndSet(buffer, offset, expected, value);
    }

    /** Adds {@code delta} to the int at {@code offset}; returns the value before. */
    public int getAndAddInt(int offset, int delta) {
        return (int) INTS.getAndAdd(buffer, offset, delta);
    }
    /** Sets the int at {@code offset}; returns the value before. */
    public int getAndSetInt(int offset, int value) {
        return (int) INTS.getAndSet(buffer, offset, value);
    }

    /** Reads the short at {@code offset} (a multiple of 2) with volatile semantics. */
    public short getShort(int offset) {
        return (short) SHORTS.getVolatile(buffer, offset);
    }

    /** Writes the short at {@code offset} (a multiple of 2) with volatile semantics. */
    public void setShort(int offset, short value) {
        SHORTS.setVolatile(buffer, offset, value);
    }

    /** Reads the char at {@code offset} (a multiple of 2) with volatile semantics. */
    public char getChar(int offset) {
        return (char) CHARS.getVolatile(buffer, offset);
    }

    /** Writes the char at {@code offset} (a multiple of 2) with volatile semantics. */
    public void setChar(int offset, char value) {
        CHARS.setVolatile(buffer, offset, value);
    }

    /** Reads the float at {@code offset} (a multiple of 4) with volatile semantics. */
    public float getFloat(int offset) {
        return (float) FLOATS.getVolatile(buffer, offset);
    }

    /** Writes the float at {@code offset} (a multiple of 4) with volatile semantics. */
    public void setFloat(int offset, float value) {
        FLOATS.setVolatile(buffer, offset, value);
    }

    /** Sets the float at {@code offset} if its bits are {@code expected}'s; returns whether it did. */
    public boolean compareAndSetFloat(int offset, float expected, float value) {
        return FLOATS.compareAndSet(buffer, offset, expected, value);
    }

    /** Reads the double at {@code offset} (a multiple of 8) with volatile semantics. */
    public double getDouble(int offset) {
        return (double) DOUBLES.getVolatile(buffer, offset);
    }

    /** Writes the double at {@code offset} (a multiple of 8) with volatile semantics. */
    public void setDouble(int offset, double value) {
        DOUBLES.setVolatile(buffer, offset, value);
    }

    /** Sets the double at {@code offset} if its bits are {@code expected}'s; returns whether it did. */
    public boolean compareAndSetDouble(int offset, double expected, double value) {
        return DOUBLES.compareAndSet(buffer, offset, expected, value);
    }

    /**
     * Reads the byte at {@code offset}, then an acquire fence (there is no byte-sized {@link VarHandle} view of a
     * buffer; a byte is read whole, and the fences give it the ordering of a volatile read).
     */
    public byte getByte(int offset) {
        byte value = buffer.get(offset);
        VarHandle.acquireFence();
        return value;
    }

    /** A release fence, then writes the byte at {@code offset}, then a full fence (a volatile write's ordering). */
    public void setByte(int offset, byte value) {
        VarHandle.releaseFence();
        buffer.put(offset, value);
        VarHandle.fullFence();
    }
}
