package io.multiprocess.reduction;

import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.io.Input;

/**
 * An {@link Input} over one whole message that refuses a size read from the message before anything is allocated
 * for it, when that size cannot fit in the bytes left.
 *
 * <p>Kryo allocates what a size says (an array of that length, a string buffer of that many characters, a list of
 * that capacity) and only then reads the elements, so a flipped bit in a length could make a 1 KB message allocate
 * gigabytes. Here every such size is a <em>claim</em>: it must not exceed the bytes left, nor the claims left. Every
 * element of every array, collection or map, and every character of a UTF-8 string, starts at a byte of its own
 * (an element reads at least one byte, nested elements begin after their container's header), so the claims of a
 * well-formed message never add up to more than its length. That makes everything allocated because of a size
 * at most a few bytes per byte of the message: 8 for an array or a list slot, about 11 for a presized hash map.
 *
 * <p>One exception: Kryo writes a collection whose elements are all null as its size and a single byte (the null
 * class), whatever the size. Such nulls are allowed beyond the bytes, up to {@link #NULLS_PER_MESSAGE} in a message
 * (8 MiB of list slots), so a list of nulls travels and a forged size still cannot make this JVM allocate more.
 */
final class KryoBoundedInput extends Input {

    /** Null elements a message may hold beyond its bytes, in collections written as all null. */
    static final int NULLS_PER_MESSAGE = 1 << 20;
    /** Kryo's class id of null: what follows the size of a collection whose elements are all null. */
    private static final byte NULL_CLASS = 0;

    /** Elements that the sizes read so far may still claim. */
    private long claimsLeft;
    private int messageLength;
    private long nullsLeft;

    KryoBoundedInput() {
        super();
    }

    @Override
    public void setBuffer(byte[] bytes, int offset, int count) {
        super.setBuffer(bytes, offset, count);
        claimsLeft = count;
        messageLength = count;
        nullsLeft = NULLS_PER_MESSAGE;
    }

    /**
     * Checks and takes {@code count} elements from the message for {@code kind} (e.g. "a collection"), each at
     * least a byte.
     */
    static void claim(Input input, long count, String kind) {
        if (input instanceof KryoBoundedInput bounded) {
            bounded.claim(count, count, kind + " of " + count + " elements");
        }
    }

    /**
     * As {@link #claim(Input, long, String)} for a collection, which Kryo may write as all null in one byte: such a
     * collection's nulls are counted against {@link #NULLS_PER_MESSAGE} instead of the bytes.
     */
    static void claimCollection(Input input, long count, String kind) {
        if (input instanceof KryoBoundedInput bounded) {
            int left = bounded.limit - bounded.position;
            if (count > left && left > 0 && bounded.buffer[bounded.position] == NULL_CLASS
                    && count <= bounded.nullsLeft) {
                bounded.nullsLeft -= count;
                return;
            }
            bounded.claim(count, count, kind + " of " + count + " elements");
        }
    }

    /** As {@link #claim(Input, long, String)} for a map: a key and a value per entry. */
    static void claimEntries(Input input, int entries) {
        if (input instanceof KryoBoundedInput bounded) {
            bounded.claim(2L * entries, 2L * entries, "a map of " + entries + " entries");
        }
    }

    private void claim(long count, long bytes, String subject) {
        check(bytes, limit - position, subject);
        claimsLeft -= count;
    }

    private void check(long count, int left, String subject) {
        if (count < 0 || count > left) {
            throw new KryoException("corrupt or truncated message: " + subject + " cannot fit in the "
                    + Math.max(0, left) + " bytes left");
        }
        if (count > claimsLeft) {
            throw new KryoException("corrupt message: " + subject + " would make the sizes in the message add up"
                    + " to more elements than its " + messageLength + " bytes can hold");
        }
    }

    private void claim(long count, String kind) {
        claim(this, count, kind);
    }

    @Override
    public byte[] readBytes(int length) {
        claim(length, "a byte array");
        return super.readBytes(length);
    }

    @Override
    public int[] readInts(int length) {
        claim(length, "an int array");
        return super.readInts(length);
    }

    @Override
    public int[] readInts(int length, boolean optimizePositive) {
        if (!getVariableLengthEncoding()) {
            return readInts(length);
        }
        claim(length, "an int array");
        return super.readInts(length, optimizePositive);
    }

    @Override
    public long[] readLongs(int length) {
        claim(length, "a long array");
        return super.readLongs(length);
    }

    @Override
    public long[] readLongs(int length, boolean optimizePositive) {
        if (!getVariableLengthEncoding()) {
            return readLongs(length);
        }
        claim(length, "a long array");
        return super.readLongs(length, optimizePositive);
    }

    @Override
    public float[] readFloats(int length) {
        claim(length, "a float array");
        return super.readFloats(length);
    }

    @Override
    public double[] readDoubles(int length) {
        claim(length, "a double array");
        return super.readDoubles(length);
    }

    @Override
    public short[] readShorts(int length) {
        claim(length, "a short array");
        return super.readShorts(length);
    }

    @Override
    public char[] readChars(int length) {
        claim(length, "a char array");
        return super.readChars(length);
    }

    @Override
    public boolean[] readBooleans(int length) {
        claim(length, "a boolean array");
        return super.readBooleans(length);
    }

    @Override
    public String readString() {
        claimUtf8();
        return super.readString();
    }

    @Override
    public StringBuilder readStringBuilder() {
        claimUtf8();
        return super.readStringBuilder();
    }

    /**
     * A UTF-8 string starts with its character count, and Kryo sizes its character buffer by it; every character
     * takes at least one byte. (An ASCII string has no count: it ends at a byte with the high bit set, so what it
     * allocates grows with the bytes actually read.)
     */
    private void claimUtf8() {
        if (!readVarIntFlag()) {
            return;
        }
        int start = position;
        int count = readVarIntFlag(true);
        int left = limit - position;
        position = start;
        // 0 is null, 1 the empty string.
        if (count > 1) {
            check(count - 1L, left, "a string of " + (count - 1L) + " characters");
            claimsLeft -= count - 1L;
        }
    }
}
