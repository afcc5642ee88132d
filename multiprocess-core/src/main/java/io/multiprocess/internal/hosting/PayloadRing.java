package io.multiprocess.internal.hosting;

import io.multiprocess.sharedmemory.AtomicView;
import io.multiprocess.sharedmemory.SharedMemory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;

/**
 * A ring of bytes in a shared-memory segment through which one process hands the large payloads of its frames to
 * the process at the other end of a host connection: the sender copies a payload in and sends, in the frame, only
 * where it is; the receiver copies it out when it reads that frame and marks the bytes free.
 *
 * <p>Why: a socket moves a heap array through four copies (into a direct buffer, into the kernel, out of it, into
 * the receiver's array) and, with socket buffers far smaller than a large message, many wake-ups of both sides;
 * this way a payload is copied once on each side. The frames themselves still go through the socket, so their
 * order, the host's back-pressure and the end of a connection work exactly as before.
 *
 * <p>One ring per direction of a connection, written by one side and read by the other. Positions are byte counts
 * since the ring was made; the frame carries the position and the length. Frames are read in the order they were
 * sent, so the receiver frees bytes in order and one word suffices: {@code released}, below which every byte has
 * been read. The sender never waits for room: a payload that does not fit is sent in the frame, as any payload
 * used to be.
 *
 * <p>The segment is created new, mode 0600, like every segment; its name travels only in an authenticated frame.
 * The receiver maps it, says so in the header ({@code attached}) and unlinks it, so the file exists only for that
 * moment; the sender puts nothing in the ring before it sees {@code attached}, so a payload never depends on a
 * name that may be gone (its process may exit, and unlink it, right after sending). If the receiver never maps it,
 * the sender unlinks it when the connection ends, or the resource tracker after a SIGKILL.
 */
final class PayloadRing {

    /** Offset of the long below which every byte has been read (written by the receiver). */
    private static final int RELEASED = 0;
    /** Offset of the int the receiver sets to 1 once it has mapped the ring. */
    private static final int ATTACHED = 8;
    /** Where the ring's bytes start; the header has a cache line to itself. */
    private static final int DATA = 64;
    private static final int MIN_CAPACITY = 2 << 20;
    /** Largest ring: payloads above half of it go in the frame. */
    static final int MAX_CAPACITY = 64 << 20;

    private final SharedMemory memory;
    private final AtomicView words;
    private final ByteBuffer bytes;
    private final int capacity;
    private final boolean writer;
    /** Where the next payload goes; the writer's alone. */
    private long head;
    private boolean attached;
    private boolean unlinked;

    private PayloadRing(SharedMemory memory, boolean writer) {
        this.memory = memory;
        this.words = AtomicView.of(memory);
        this.bytes = memory.buffer();
        this.capacity = bytes.capacity() - DATA;
        this.writer = writer;
    }

    /**
     * A new ring for payloads of {@code length} bytes and more: room for two of them (a sender then writes one
     * while the receiver reads the other), at least 2 MiB, at most {@link #MAX_CAPACITY}.
     */
    static PayloadRing create(int length) {
        long roundedUp = Long.highestOneBit(Math.max(1, length - 1)) << 1;
        int capacity = (int) Math.min(MAX_CAPACITY, Math.max(MIN_CAPACITY, 2 * roundedUp));
        return new PayloadRing(SharedMemory.create(SharedMemory.randomName("mp-ring-"), DATA + capacity), true);
    }

    /** The receiving side of the ring the peer announced: maps it, then removes its name. */
    static PayloadRing attach(String name) throws IOException {
        SharedMemory memory;
        try {
            memory = SharedMemory.attach(name);
        } catch (UncheckedIOException | IllegalArgumentException e) {
            throw new IOException("cannot map the shared memory the peer sends large messages through", e);
        }
        if (memory.size() <= DATA) {
            throw new IOException("the peer's ring " + name + " is too small to hold anything");
        }
        PayloadRing ring = new PayloadRing(memory, false);
        ring.words.setInt(ATTACHED, 1);
        ring.unlink();
        return ring;
    }

    String name() {
        return memory.name();
    }

    int capacity() {
        return capacity;
    }

    /**
     * Copies {@code payload} into the ring; returns its position, or -1 if the receiver has not mapped the ring yet,
     * there is no room for it now (the receiver has not read enough yet) or it is larger than the ring.
     */
    long write(byte[] payload) {
        int length = payload.length;
        if (length > capacity || !isAttached()) {
            return -1;
        }
        long start = head;
        int offset = (int) (start % capacity);
        if (offset + length > capacity) {
            // A payload is never split: skip to the ring's beginning. The skipped bytes are freed with this one.
            start += capacity - offset;
            offset = 0;
        }
        long end = start + length;
        long released = words.getLongAcquire(RELEASED);
        if (released != head && end - released > capacity) {
            return -1;
        }
        bytes.put(DATA + offset, payload, 0, length);
        head = end;
        return start;
    }

    /**
     * Copies out the payload the peer wrote at {@code start} and frees its bytes; the frames that name them are read
     * in order, so everything before is free too.
     *
     * @throws IOException if the position does not lie within the ring (the stream cannot be trusted)
     */
    byte[] read(long start, int length) throws IOException {
        if (start < 0 || length < 0 || length > capacity || start % capacity + length > capacity) {
            throw new IOException("a frame names bytes " + start + "+" + length + " outside the peer's ring of "
                    + capacity + " bytes");
        }
        byte[] payload = SpareArrays.take(length);
        bytes.get(DATA + (int) (start % capacity), payload, 0, length);
        words.setLongRelease(RELEASED, start + length);
        return payload;
    }

    private boolean isAttached() {
        if (!attached) {
            attached = words.getInt(ATTACHED) == 1;
        }
        return attached;
    }

    /** Removes the segment's name if it is still there; mappings stay valid. */
    void unlink() {
        if (unlinked) {
            return;
        }
        unlinked = true;
        try {
            memory.unlink();
        } catch (UncheckedIOException e) {
            // The other side already did.
        }
    }

    /** This side no longer uses the ring: the writer makes sure the name is gone; the memory is freed when unmapped. */
    void close() {
        if (writer) {
            unlink();
        }
        memory.close();
    }
}
