package io.multiprocess.internal.hosting;

/**
 * A few large byte arrays that this process's host has finished with, kept to hold the next message of the same
 * length: a process that hosts a pipe and streams large messages to another would otherwise allocate (and, on a
 * heap the JVM has not yet touched, page-fault in) a new array per message, once for its own copy of what is sent
 * and again for every message relayed.
 *
 * <p>Only arrays nothing else refers to are given back: a mailbox's message once its host has written it to the
 * process that took it. An array taken from here belongs to the taker like a new one. Lengths must match exactly,
 * since a message is a whole array; at most {@link #MAX_KEPT} arrays and {@link #MAX_BYTES} bytes are kept.
 */
public final class SpareArrays {

    /** Smaller arrays come from the thread's allocation buffer cheaply. */
    static final int MIN_LENGTH = HostLink.SHARED_THRESHOLD;
    private static final int MAX_KEPT = 4;
    private static final long MAX_BYTES = 8 << 20;
    private static final byte[][] KEPT = new byte[MAX_KEPT][];
    private static long keptBytes;

    private SpareArrays() {
    }

    /** An array of exactly {@code length} bytes, not zeroed if it is a spare one. */
    public static byte[] take(int length) {
        if (length >= MIN_LENGTH) {
            synchronized (KEPT) {
                for (int i = 0; i < MAX_KEPT; i++) {
                    byte[] spare = KEPT[i];
                    if (spare != null && spare.length == length) {
                        KEPT[i] = null;
                        keptBytes -= length;
                        return spare;
                    }
                }
            }
        }
        return new byte[length];
    }

    /** Keeps {@code array}, which nothing refers to any more, if there is room; the oldest spare makes way. */
    static void give(byte[] array) {
        if (array.length < MIN_LENGTH || array.length > MAX_BYTES) {
            return;
        }
        synchronized (KEPT) {
            int free = -1;
            for (int i = 0; i < MAX_KEPT; i++) {
                if (KEPT[i] == null) {
                    free = i;
                    break;
                }
            }
            if (free < 0 || keptBytes + array.length > MAX_BYTES) {
                // Messages changed size: the spares of the old size would never be used again.
                java.util.Arrays.fill(KEPT, null);
                keptBytes = 0;
                free = 0;
            }
            KEPT[free] = array;
            keptBytes += array.length;
        }
    }
}
