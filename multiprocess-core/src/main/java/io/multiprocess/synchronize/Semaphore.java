package io.multiprocess.synchronize;

import io.multiprocess.errors.MultiprocessException;
import io.multiprocess.reduction.HandleToken;
import io.multiprocess.reduction.SharedHandle;
import io.multiprocess.sharedmemory.AtomicView;
import java.time.Duration;

/**
 * A counter of permits for threads of every process it reaches: Python's {@code multiprocessing.Semaphore}.
 * {@code acquire} takes a permit, waiting while there is none; {@code release} gives one back, and may raise the
 * count above the initial value ({@link BoundedSemaphore} may not).
 *
 * <pre>{@code
 * Semaphore slots = ctx.semaphore(2);             // at most two processes download at once
 * for (String url : urls) {
 *     ctx.process(() -> {
 *         try (Held permit = slots.hold()) {
 *             download(url);
 *         }
 *     }).start();
 * }
 * }</pre>
 *
 * <p><b>Permits of a dead process.</b> The semaphore records how many permits each process holds (acquired and not
 * yet released by that process) in a table of 64 slots. A waiter that has waited 10 ms, and every 10 ms after,
 * checks those processes; the permits of one that died are given back, and the acquire calls that find it or
 * were waiting then throw {@link OwnerDiedException}, as for {@link Lock}. This is meant for a semaphore that
 * guards resources, where each process releases what it acquired. As soon as a process releases a permit it does
 * not hold (a semaphore used as a counter of events: producers release, consumers acquire), or more than 64
 * processes hold permits at once, the semaphore can no longer tell who holds what and stops returning permits of
 * dead processes, for good: returning a consumer's permits would count events twice.
 *
 * <p>Shared memory, polling waiters and travel as for {@link Lock}. Create it with
 * {@link io.multiprocess.BaseContext#semaphore(int)}.
 */
public sealed class Semaphore implements Acquirable, SharedHandle permits BoundedSemaphore {

    static final int VALUE = 8;
    static final int DEATHS = 16;
    static final int LAST_DEAD = 24;
    static final int UNTRACKED = 32;
    static final int BOUND = 40;
    static final int SLOTS_START = 64;
    static final int SLOTS = 64;
    static final int SIZE = SLOTS_START + SLOTS * 16;

    final SyncSegment segment;
    final AtomicView words;
    private int slotHint;
    private volatile long nextTryLivenessCheck;

    Semaphore(SyncSegment segment) {
        this.segment = segment;
        this.words = segment.words;
    }

    /** A new semaphore with {@code value} permits; use {@link io.multiprocess.BaseContext#semaphore(int)}. */
    public static Semaphore create(int value) {
        return new Semaphore(newSegment(SyncSegment.Kind.SEMAPHORE, value));
    }

    static SyncSegment newSegment(SyncSegment.Kind kind, int value) {
        if (value < 0) {
            throw new IllegalArgumentException("a semaphore's initial value must be 0 or more, got " + value);
        }
        SyncSegment segment = SyncSegment.create(kind, SIZE);
        segment.words.setLong(BOUND, value);
        segment.words.setLong(VALUE, value);
        return segment;
    }

    /** The number of permits available now (Python's {@code get_value()}). */
    public int getValue() {
        return (int) words.getLong(VALUE);
    }

    @Override
    public final void acquire() {
        acquire(false, 0);
    }

    @Override
    public final boolean acquire(Duration timeout) {
        if (timeout.isZero() || timeout.isNegative()) {
            return tryAcquire();
        }
        return acquire(true, Backoff.deadline(timeout));
    }

    @Override
    public final boolean tryAcquire() {
        long value = words.getLong(VALUE);
        while (value > 0) {
            if (words.compareAndSetLong(VALUE, value, value - 1)) {
                track();
                return true;
            }
            value = words.getLong(VALUE);
        }
        long now = System.nanoTime();
        if (now - nextTryLivenessCheck >= 0) {
            nextTryLivenessCheck = now + Backoff.LIVENESS_CHECK_NANOS;
            recoverDeadHolders();
        }
        return false;
    }

    /** Gives a permit back; any thread of any process may. */
    @Override
    public void release() {
        untrack();
        words.getAndAddLong(VALUE, 1);
    }

    private boolean acquire(boolean timed, long deadline) {
        long deaths = words.getLong(DEATHS);
        long value = words.getLong(VALUE);
        if (value > 0 && words.compareAndSetLong(VALUE, value, value - 1)) {
            track();
            return true;
        }
        Backoff backoff = new Backoff();
        while (true) {
            value = words.getLong(VALUE);
            if (value > 0) {
                if (words.compareAndSetLong(VALUE, value, value - 1)) {
                    if (words.getLong(DEATHS) != deaths) {
                        words.getAndAddLong(VALUE, 1);
                        throw waitedThroughDeath();
                    }
                    track();
                    return true;
                }
                continue;
            }
            if (words.getLong(DEATHS) != deaths) {
                throw waitedThroughDeath();
            }
            if (backoff.livenessCheckDue()) {
                recoverDeadHolders();
            }
            if (timed && Backoff.passed(deadline)) {
                return false;
            }
            if (Thread.currentThread().isInterrupted()) {
                throw new MultiprocessException("interrupted while waiting to acquire " + this);
            }
            backoff.pause(timed, deadline);
        }
    }

    private static int slot(int index) {
        return SLOTS_START + index * 16;
    }

    /**
     * Counts one more permit held by this process: in its slot (the one it used last, else any of its own), else in
     * a free slot, else in a slot whose process holds none now (taking it over with a compare-and-set is safe: that
     * process's next change expects its own pid there, fails, and looks again). A process keeps its slot while it
     * holds nothing, so an uncontended acquire and release change one slot word each.
     */
    final void track() {
        if (words.getLong(UNTRACKED) != 0) {
            return;
        }
        if (changeOwnCount(slotHint, +1)) {
            return;
        }
        for (int i = 0; i < SLOTS; i++) {
            if (changeOwnCount(i, +1)) {
                slotHint = i;
                return;
            }
        }
        long mine = ProcessIdentity.PID << 32 | 1;
        for (int pass = 0; pass < 2; pass++) {
            for (int i = 0; i < SLOTS; i++) {
                int offset = slot(i);
                long word = words.getLong(offset);
                boolean takeable = pass == 0 ? word == 0 : (word & 0xFFFF_FFFFL) == 0;
                if (takeable && words.compareAndSetLong(offset, word, mine)) {
                    words.setLongRelease(offset + 8, ProcessIdentity.SELF);
                    slotHint = i;
                    return;
                }
            }
        }
        words.setLong(UNTRACKED, 1);
    }

    /**
     * Counts one permit fewer held by this process; if it holds none, stops tracking for good.
     *
     * @return whether a permit of this process was counted off
     */
    final boolean untrack() {
        if (words.getLong(UNTRACKED) != 0) {
            return false;
        }
        if (changeOwnCount(slotHint, -1)) {
            return true;
        }
        for (int i = 0; i < SLOTS; i++) {
            if (changeOwnCount(i, -1)) {
                slotHint = i;
                return true;
            }
        }
        words.setLong(UNTRACKED, 1);
        return false;
    }

    /** Adds {@code delta} to this process's count in slot {@code index}, if the slot is this process's. */
    private boolean changeOwnCount(int index, int delta) {
        int offset = slot(index);
        while (true) {
            long word = words.getLong(offset);
            long count = word & 0xFFFF_FFFFL;
            if (ProcessIdentity.pidOf(word) != ProcessIdentity.PID || count + delta < 0
                    || count + delta > Integer.MAX_VALUE) {
                return false;
            }
            if (words.compareAndSetLong(offset, word, word + delta)) {
                return true;
            }
        }
    }

    /** Gives back the permits of every dead process in the table and throws; returns if there are none. */
    private void recoverDeadHolders() {
        if (words.getLong(UNTRACKED) != 0) {
            return;
        }
        long firstDead = 0;
        long returned = 0;
        for (int i = 0; i < SLOTS; i++) {
            int offset = slot(i);
            long word = words.getLong(offset);
            long pid = ProcessIdentity.pidOf(word);
            if ((word & 0xFFFF_FFFFL) == 0 || pid == ProcessIdentity.PID) {
                continue;
            }
            int tag = ProcessIdentity.tagFor(pid, words.getLong(offset + 8));
            if (ProcessIdentity.hasEnded(pid, tag) && words.compareAndSetLong(offset, word, 0)) {
                words.setLongRelease(offset + 8, 0);
                words.setLong(LAST_DEAD, pid);
                // Deaths first, then the permits: a waiter that takes a returned permit cannot miss the news.
                words.getAndAddLong(DEATHS, 1);
                words.getAndAddLong(VALUE, word & 0xFFFF_FFFFL);
                firstDead = firstDead == 0 ? pid : firstDead;
                returned += word & 0xFFFF_FFFFL;
            }
        }
        if (firstDead != 0) {
            throw new OwnerDiedException("process " + firstDead + " died holding permits of " + this + "; "
                    + returned + " permit(s) were given back, but this call did not acquire one: the resources they"
                    + " guard may need repair. Acquire again", firstDead);
        }
    }

    private OwnerDiedException waitedThroughDeath() {
        long pid = words.getLong(LAST_DEAD);
        return new OwnerDiedException("process " + pid + " died holding permits of " + this + " while this call"
                + " waited; they were given back, but this call did not acquire one: the resources they guard may"
                + " need repair. Acquire again", pid);
    }

    @Override
    public HandleToken token() {
        return new Token(segment.name());
    }

    /** True for any handle on the same semaphore (the same shared memory), in this process or a copy sent here. */
    @Override
    public final boolean equals(Object other) {
        return other != null && other.getClass() == getClass()
                && ((Semaphore) other).segment.name().equals(segment.name());
    }

    @Override
    public final int hashCode() {
        return segment.name().hashCode();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + segment.name() + ", value=" + getValue() + "]";
    }

    /** The travelling form of a {@link Semaphore}: its segment's name. */
    record Token(String segment) implements HandleToken {
        private static final long serialVersionUID = 1L;

        @Override
        public SharedHandle resolve() {
            return new Semaphore(SyncSegment.attach(segment, SyncSegment.Kind.SEMAPHORE));
        }
    }
}
