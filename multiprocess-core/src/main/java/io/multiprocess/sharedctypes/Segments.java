package io.multiprocess.sharedctypes;

import io.multiprocess.sharedmemory.AtomicView;
import io.multiprocess.sharedmemory.SharedMemory;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;

/**
 * The shared memory segment of one value or array: a header word naming what it holds (so a token can never make
 * a double array out of an int value's memory), the element count, then the elements from offset 16, in the
 * machine's byte order. Tracked, as the segments of locks are: unlinked when the creating JVM exits, or once it and
 * its children have ended if it is killed.
 */
final class Segments {

    /** Where the elements start; 16 keeps every element type aligned to its size. */
    static final int DATA = 16;
    static final int LENGTH = 8;

    private static final long MAGIC = 0x4D50_5356L; // "MPSV"
    private static final int VERSION = 1;
    private static final int CREATE_ATTEMPTS = 16;

    private Segments() {
    }

    static long header(CType<?, ?, ?, ?> type, boolean array) {
        return MAGIC << 32 | (long) (type.ordinal() + 1) << 16 | (array ? 1L << 8 : 0) | VERSION;
    }

    /** A new zeroed segment for {@code length} elements of {@code type}. */
    static SharedMemory create(CType<?, ?, ?, ?> type, boolean array, int length) {
        if (length < 0) {
            throw new IllegalArgumentException("a shared array cannot have a negative length, got " + length);
        }
        long size = DATA + (long) length * type.size;
        if (size > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("a shared array of " + length + " " + type.primitive() + " elements"
                    + " needs " + size + " bytes, more than a segment can map (2 GiB)");
        }
        for (int attempt = 1; ; attempt++) {
            try {
                SharedMemory memory = SharedMemory.create(SharedMemory.randomName(array ? "mp-array-" : "mp-value-"),
                        (int) size);
                AtomicView words = AtomicView.of(memory);
                words.setLong(LENGTH, length);
                words.setLong(0, header(type, array));
                return memory;
            } catch (UncheckedIOException e) {
                if (!(e.getCause() instanceof FileAlreadyExistsException) || attempt == CREATE_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    /** The segment {@code name}, which must hold a value (or an array) of {@code type}. */
    static SharedMemory attach(String name, CType<?, ?, ?, ?> type, boolean array) {
        SharedMemory memory = SharedMemory.attach(name);
        AtomicView words = AtomicView.of(memory);
        long header = words.size() >= DATA ? words.getLong(0) : 0;
        if (header != header(type, array)) {
            throw new IllegalStateException("shared memory segment '" + name + "' does not hold a shared "
                    + type.primitive() + (array ? " array" : " value") + "; a token was resolved against the wrong"
                    + " segment");
        }
        return memory;
    }
}
