package io.multiprocess.synchronize;

import io.multiprocess.internal.ProcessStart;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who holds or waits, as the words in shared memory record it, and whether that process still exists.
 *
 * <p>An <em>identity</em> word is {@code pid << 32 | startTag}: the start tag is the low 32 bits of the process's
 * start time (clock ticks since boot from {@code /proc/<pid>/stat} on Linux, else milliseconds from
 * {@link ProcessHandle.Info#startInstant()}), so a pid reused by a new process is not taken for the old one. A
 * tag of 0 means unknown; then only the pid is checked. An <em>owner</em> word is {@code pid << 32 | threadTag},
 * naming a thread of a process.
 */
final class ProcessIdentity {

    /** This process's pid. */
    static final long PID = ProcessHandle.current().pid();


    /** This process's identity word. */
    static final long SELF = identity(PID, startTag(PID));

    /** How long a "this process was alive" answer is reused by {@link #hasEndedRecently}. */
    private static final long ALIVE_ANSWER_NANOS = 10_000_000;
    private static final int ALIVE_ANSWERS_KEPT = 1024;
    private static final ConcurrentHashMap<Long, Long> ALIVE_AT = new ConcurrentHashMap<>();

    private ProcessIdentity() {
    }

    static long identity(long pid, int startTag) {
        return pid << 32 | (startTag & 0xFFFFFFFFL);
    }

    static long pidOf(long word) {
        return word >>> 32;
    }

    /** The start tag in {@code identity} if it names {@code pid}, else 0 (unknown). */
    static int tagFor(long pid, long identity) {
        return pidOf(identity) == pid ? (int) identity : 0;
    }

    /** The owner word of the calling thread: this pid and a 31-bit tag of the thread's id (never 0). */
    @SuppressWarnings("deprecation") // Thread.getId: threadId() only exists from JDK 19.
    static long currentThread() {
        long tag = Thread.currentThread().getId() & 0x7FFFFFFFL;
        return PID << 32 | (tag == 0 ? 1 : tag);
    }

    /**
     * Whether process {@code pid} has ended: it does not exist, is a zombie, or (when {@code startTag} is not 0)
     * its pid now belongs to a process started at another time.
     */
    static boolean hasEnded(long pid, int startTag) {
        if (pid == PID) {
            return false;
        }
        Optional<Integer> current = currentStartTag(pid);
        return current.isEmpty() || (startTag != 0 && current.get() != 0 && current.get() != startTag);
    }

    /**
     * {@link #hasEnded}, reusing an answer that the process was alive for up to 10 ms: for paths that check many
     * processes often (a condition's signal skips dead waiters).
     */
    static boolean hasEndedRecently(long pid, int startTag) {
        if (pid == PID) {
            return false;
        }
        long key = identity(pid, startTag);
        long now = System.nanoTime();
        Long aliveAt = ALIVE_AT.get(key);
        if (aliveAt != null && now - aliveAt < ALIVE_ANSWER_NANOS) {
            return false;
        }
        boolean ended = hasEnded(pid, startTag);
        if (ended) {
            ALIVE_AT.remove(key);
        } else {
            if (ALIVE_AT.size() >= ALIVE_ANSWERS_KEPT) {
                ALIVE_AT.clear();
            }
            ALIVE_AT.put(key, now);
        }
        return ended;
    }

    private static int startTag(long pid) {
        return currentStartTag(pid).orElse(0);
    }

    /** The start tag of the live process {@code pid}; empty if there is none; 0 if its start is unknown. */
    private static Optional<Integer> currentStartTag(long pid) {
        return ProcessStart.of(pid).map(start -> start == 0 ? 0 : nonZero(start));
    }

    private static int nonZero(long value) {
        int tag = (int) value;
        return tag == 0 ? 1 : tag;
    }
}
