package io.multiprocess.testing;

import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * One change to a valid encoding, as a fuzzer mutates: flip a bit, set a byte, write a size that cannot be (a
 * large varint or a large big-endian int), insert, delete, duplicate or cut. Positions are taken modulo the
 * input's length, so one mutation applies to any input.
 */
public record Mutation(int kind, int position, int value) {

    private static final int KINDS = 9;
    /** Sizes a corrupt length typically becomes. */
    private static final int[] INTERESTING = {0, 1, -1, 0x7F, 0x80, 0xFF, 0x7FFF, 0xFFFF, 0x100000, 0xFFFFF,
        0x3FFFFFFF, 0x40000000, 0x7FFFFFF7, 0x7FFFFFFF, Integer.MIN_VALUE};

    /** One to {@code most} mutations. */
    public static Arbitrary<List<Mutation>> some(int most) {
        return Combinators.combine(Arbitraries.integers().between(0, KINDS - 1),
                Arbitraries.integers().greaterOrEqual(0), Arbitraries.integers())
                .as(Mutation::new).list().ofMinSize(1).ofMaxSize(most);
    }

    /** {@code input} with every mutation applied in turn (the input itself is not changed). */
    public static byte[] apply(byte[] input, List<Mutation> mutations) {
        byte[] bytes = input.clone();
        for (Mutation mutation : mutations) {
            bytes = mutation.apply(bytes);
        }
        return bytes;
    }

    byte[] apply(byte[] bytes) {
        int length = bytes.length;
        int at = length == 0 ? 0 : Math.floorMod(position, length);
        switch (kind) {
            case 0 -> {
                if (length > 0) {
                    bytes[at] ^= (byte) (1 << Math.floorMod(value, 8));
                }
                return bytes;
            }
            case 1 -> {
                if (length > 0) {
                    bytes[at] = (byte) value;
                }
                return bytes;
            }
            case 2 -> {
                // A varint (Kryo's sizes) of a size that cannot be there.
                return splice(bytes, at, 0, varint(INTERESTING[Math.floorMod(value, INTERESTING.length)]));
            }
            case 3 -> {
                // A big-endian int (JDK serialization's and the frames' sizes) over four bytes.
                int size = INTERESTING[Math.floorMod(value, INTERESTING.length)];
                byte[] big = {(byte) (size >>> 24), (byte) (size >>> 16), (byte) (size >>> 8), (byte) size};
                return splice(bytes, at, Math.min(4, length - at), big);
            }
            case 4 -> {
                return splice(bytes, at, 0, new byte[] {(byte) value, (byte) (value >>> 8)});
            }
            case 5 -> {
                return length == 0 ? bytes : splice(bytes, at, Math.min(length - at, 1 + Math.floorMod(value, 8)),
                        new byte[0]);
            }
            case 6 -> {
                int count = Math.min(length - at, 1 + Math.floorMod(value, 16));
                return splice(bytes, at, 0, Arrays.copyOfRange(bytes, at, at + count));
            }
            case 7 -> {
                return Arrays.copyOf(bytes, at);
            }
            default -> {
                // A size varint written over what is there.
                byte[] size = varint(INTERESTING[Math.floorMod(value, INTERESTING.length)]);
                return splice(bytes, at, Math.min(size.length, length - at), size);
            }
        }
    }

    private static byte[] splice(byte[] bytes, int at, int remove, byte[] insert) {
        byte[] out = new byte[bytes.length - remove + insert.length];
        System.arraycopy(bytes, 0, out, 0, at);
        System.arraycopy(insert, 0, out, at, insert.length);
        System.arraycopy(bytes, at + remove, out, at + insert.length, bytes.length - at - remove);
        return out;
    }

    private static byte[] varint(int value) {
        byte[] out = new byte[5];
        int n = 0;
        int v = value;
        while ((v & ~0x7F) != 0) {
            out[n++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        out[n++] = (byte) v;
        return Arrays.copyOf(out, n);
    }
}
