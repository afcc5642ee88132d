package io.multiprocess.synchronize;

import io.multiprocess.sharedmemory.AtomicView;
import io.multiprocess.sharedmemory.SharedMemory;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;

/**
 * The shared memory segment of one synchronization object: created by the factory in the creating process
 * (tracked: unlinked when that JVM exits, or once it and its children have ended if it is killed; see
 * {@code sharedmemory/ResourceTracker}), attached by name wherever a token is resolved. The first word is a header
 * naming the kind of object, so a token can never make a lock out of a semaphore's memory.
 */
final class SyncSegment {

    /** The header word's offset; every layout starts its own words at 8. */
    static final int HEADER = 0;

    private static final long MAGIC = 0x4D50_5359L; // "MPSY"
    private static final int VERSION = 1;
    private static final int CREATE_ATTEMPTS = 16;

    enum Kind {
        LOCK("lock", "a Lock"),
        RLOCK("rlock", "an RLock"),
        SEMAPHORE("sem", "a Semaphore"),
        BOUNDED_SEMAPHORE("bsem", "a BoundedSemaphore"),
        CONDITION("cond", "a Condition"),
        EVENT("event", "an Event"),
        BARRIER("barrier", "a Barrier");

        final String prefix;
        final String description;

        Kind(String prefix, String description) {
            this.prefix = prefix;
            this.description = description;
        }

        long header() {
            return MAGIC << 32 | (long) (ordinal() + 1) << 16 | VERSION;
        }
    }

    final SharedMemory memory;
    final AtomicView words;

    private SyncSegment(SharedMemory memory) {
        this.memory = memory;
        this.words = AtomicView.of(memory);
    }

    /** A new zeroed, tracked segment of {@code size} bytes with this kind's header. */
    static SyncSegment create(Kind kind, int size) {
        for (int attempt = 1; ; attempt++) {
            try {
                SharedMemory memory = SharedMemory.create(SharedMemory.randomName("mp-" + kind.prefix + "-"), size);
                SyncSegment segment = new SyncSegment(memory);
                segment.words.setLong(HEADER, kind.header());
                return segment;
            } catch (UncheckedIOException e) {
                if (!(e.getCause() instanceof FileAlreadyExistsException) || attempt == CREATE_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    /** The segment {@code name}, which must hold an object of this kind. */
    static SyncSegment attach(String name, Kind kind) {
        SyncSegment segment = new SyncSegment(SharedMemory.attach(name));
        long header = segment.words.size() >= 8 ? segment.words.getLong(HEADER) : 0;
        if (header != kind.header()) {
            throw new IllegalStateException("shared memory segment '" + name + "' does not hold " + kind.description
                    + (isKnown(header) ? " but " + Kind.values()[(int) (header >>> 16 & 0xFFFF) - 1].description
                    : "") + "; a token was resolved against the wrong segment");
        }
        return segment;
    }

    String name() {
        return memory.name();
    }

    private static boolean isKnown(long header) {
        int kind = (int) (header >>> 16 & 0xFFFF);
        return header >>> 32 == MAGIC && kind >= 1 && kind <= Kind.values().length;
    }
}
