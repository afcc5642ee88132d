package io.multiprocess.synchronize;

import io.multiprocess.errors.MultiprocessException;
import io.multiprocess.reduction.HandleToken;
import io.multiprocess.reduction.SharedHandle;
import io.multiprocess.sharedmemory.AtomicView;
import java.time.Duration;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * A condition variable for threads of every process it reaches: Python's {@code multiprocessing.Condition}, with
 * {@code java.util.concurrent} names where Python's collide with {@code Object.wait}/{@code notify}:
 * {@code wait} is {@link #await()}, {@code wait_for} is {@link #awaitUntil}, {@code notify} is {@link #signal()},
 * {@code notify_all} is {@link #signalAll()}.
 *
 * <pre>{@code
 * Condition ready = ctx.condition();                       // over a new RLock; or ctx.condition(lock)
 * // consumer, in any process
 * try (Held held = ready.hold()) {
 *     ready.awaitUntil(() -> Files.exists(input), Duration.ofMinutes(1));
 * }
 * // producer, in any process
 * try (Held held = ready.hold()) {
 *     Files.writeString(input, data);
 *     ready.signalAll();
 * }
 * }</pre>
 *
 * <p>Waiting and signalling need the condition's lock held by the calling thread, as in Python. A waiter takes a
 * slot in a table of 256 in shared memory, with a ticket; {@code signal(n)} marks the n waiting slots with the
 * lowest tickets (first come, first woken) as signalled; a waiter whose time runs out withdraws its slot with a
 * compare-and-set, and if that fails it was signalled and returns true. Slots of processes that died are skipped
 * and freed. A waiter polls its slot (see docs/synchronization.md), so a signal from another process is seen
 * within about 1 ms.
 *
 * <p>Create it with {@link io.multiprocess.BaseContext#condition()} or
 * {@link io.multiprocess.BaseContext#condition(Mutex)}.
 */
public final class Condition implements Acquirable, SharedHandle {

    static final int TICKETS = 8;
    static final int WAITING = 16;
    static final int SLOTS_START = 64;
    static final int SLOTS = 256;
    static final int SIZE = SLOTS_START + SLOTS * 16;

    private static final long STATE_WAITING = 1;
    private static final long STATE_SIGNALLED = 2;

    private final SyncSegment segment;
    private final AtomicView words;
    private final OwnedLock lock;

    private Condition(SyncSegment segment, OwnedLock lock) {
        this.segment = segment;
        this.words = segment.words;
        this.lock = lock;
    }

    /** A new condition over {@code lock}; use {@link io.multiprocess.BaseContext#condition(Mutex)}. */
    public static Condition create(Mutex lock) {
        return new Condition(SyncSegment.create(SyncSegment.Kind.CONDITION, SIZE),
                (OwnedLock) Objects.requireNonNull(lock, "lock"));
    }

    /** The lock this condition is used with. */
    public Mutex lock() {
        return lock;
    }

    @Override
    public void acquire() {
        lock.acquire();
    }

    @Override
    public boolean acquire(Duration timeout) {
        return lock.acquire(timeout);
    }

    @Override
    public boolean tryAcquire() {
        return lock.tryAcquire();
    }

    @Override
    public void release() {
        lock.release();
    }

    @Override
    public Held hold() {
        return lock.hold();
    }

    /**
     * Releases the lock, waits until signalled, and acquires the lock again before returning (Python's
     * {@code wait()}). Like Python's, it may also return without a signal being meant for this caller (another
     * waiter may have taken what was signalled): wait in a loop, or use {@link #awaitUntil(BooleanSupplier)}.
     *
     * @throws IllegalStateException if the calling thread does not hold the lock
     * @throws io.multiprocess.errors.MultiprocessException if interrupted; the lock is held again and the interrupt flag
     *         set
     * @throws OwnerDiedException if a process died holding the lock while this call waited to get it back; the
     *         lock is held again all the same, so a {@code finally} that releases it stays right
     */
    public void await() {
        await(false, 0);
    }

    /**
     * As {@link #await()}, for at most {@code timeout}.
     *
     * @return false if the time ran out first, else true
     */
    public boolean await(Duration timeout) {
        return await(true, Backoff.deadline(timeout));
    }

    /**
     * Waits until {@code predicate} is true (Python's {@code wait_for}): checks it first, then after every wake-up,
     * with the lock held each time.
     *
     * @return true (the predicate's last result)
     */
    public boolean awaitUntil(BooleanSupplier predicate) {
        requireHeld("await");
        boolean result = predicate.getAsBoolean();
        while (!result) {
            await();
            result = predicate.getAsBoolean();
        }
        return true;
    }

    /**
     * Waits at most {@code timeout} until {@code predicate} is true (Python's {@code wait_for(predicate,
     * timeout)}).
     *
     * @return the predicate's last result: false if the time ran out with it still false
     */
    public boolean awaitUntil(BooleanSupplier predicate, Duration timeout) {
        requireHeld("await");
        long deadline = Backoff.deadline(timeout);
        boolean result = predicate.getAsBoolean();
        while (!result) {
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                break;
            }
            await(true, System.nanoTime() + remaining);
            result = predicate.getAsBoolean();
        }
        return result;
    }

    /** Wakes the waiter that has waited longest, if any (Python's {@code notify()}). */
    public void signal() {
        signal(1);
    }

    /**
     * Wakes up to {@code n} waiters, longest waiting first (Python's {@code notify(n)}).
     *
     * @throws IllegalStateException if the calling thread does not hold the lock
     */
    public void signal(int n) {
        requireHeld("signal");
        if (n <= 0) {
            return;
        }
        long waiting = words.getLong(WAITING);
        if (waiting == 0) {
            return;
        }
        if (n >= waiting) {
            // Every waiter: order does not matter, one pass.
            for (int i = 0; i < SLOTS; i++) {
                signalSlot(slot(i), words.getLong(slot(i)));
            }
            return;
        }
        int signalled = 0;
        while (signalled < n) {
            int oldest = -1;
            long oldestWord = 0;
            for (int i = 0; i < SLOTS; i++) {
                long word = words.getLong(slot(i));
                if ((word & 3) == STATE_WAITING && (oldest < 0 || word >>> 2 < oldestWord >>> 2)) {
                    oldest = slot(i);
                    oldestWord = word;
                }
            }
            if (oldest < 0) {
                return;
            }
            if (signalSlot(oldest, oldestWord)) {
                signalled++;
            }
        }
    }

    /**
     * Marks the slot at {@code offset}, seen holding {@code word}, as signalled if it still waits and its process
     * lives; frees it if its process has died.
     *
     * @return whether a waiter was signalled
     */
    private boolean signalSlot(int offset, long word) {
        if ((word & 3) != STATE_WAITING) {
            return false;
        }
        long identity = words.getLong(offset + 8);
        if (identity != 0 && ProcessIdentity.hasEndedRecently(ProcessIdentity.pidOf(identity), (int) identity)) {
            if (words.compareAndSetLong(offset, word, 0)) {
                words.getAndAddLong(WAITING, -1);
            }
            return false;
        }
        return words.compareAndSetLong(offset, word, (word & ~3L) | STATE_SIGNALLED);
    }

    /** Wakes every waiter (Python's {@code notify_all()}). */
    public void signalAll() {
        signal(Integer.MAX_VALUE);
    }

    private boolean await(boolean timed, long deadline) {
        requireHeld("await");
        int offset = takeSlot();
        long waitingWord = words.getLong(offset);
        long depth = lock.releaseForWait();
        boolean signalled;
        try {
            signalled = awaitSignal(offset, waitingWord, timed, deadline);
        } finally {
            lock.reacquireAfterWait(depth);
        }
        return signalled;
    }

    private boolean awaitSignal(int offset, long waitingWord, boolean timed, long deadline) {
        Backoff backoff = new Backoff();
        while (true) {
            if (words.getLong(offset) != waitingWord) {
                freeSlot(offset);
                return true;
            }
            boolean interrupted = Thread.currentThread().isInterrupted();
            if (interrupted || (timed && Backoff.passed(deadline))) {
                if (words.compareAndSetLong(offset, waitingWord, 0)) {
                    words.setLongRelease(offset + 8, 0);
                    words.getAndAddLong(WAITING, -1);
                    if (interrupted) {
                        throw new MultiprocessException("interrupted while waiting on " + this);
                    }
                    return false;
                }
                freeSlot(offset);
                return true;
            }
            backoff.pause(timed, deadline);
        }
    }

    /** A free slot holding this thread's new ticket; the lock is held, so no signal can run meanwhile. */
    private int takeSlot() {
        long ticket = words.getAndAddLong(TICKETS, 1) + 1;
        long waitingWord = ticket << 2 | STATE_WAITING;
        words.getAndAddLong(WAITING, 1);
        for (int pass = 0; pass < 2; pass++) {
            for (int k = 0; k < SLOTS; k++) {
                int offset = slot((int) ((ticket + k) % SLOTS));
                if (words.getLong(offset) == 0 && words.compareAndSetLong(offset, 0, waitingWord)) {
                    words.setLongRelease(offset + 8, ProcessIdentity.SELF);
                    return offset;
                }
            }
            freeSlotsOfDeadWaiters();
        }
        words.getAndAddLong(WAITING, -1);
        throw new IllegalStateException("more than " + SLOTS + " threads wait on " + this + " at once; use"
                + " several conditions, or fewer waiters");
    }

    private void freeSlotsOfDeadWaiters() {
        for (int i = 0; i < SLOTS; i++) {
            int offset = slot(i);
            long word = words.getLong(offset);
            long identity = words.getLong(offset + 8);
            if (word != 0 && identity != 0 && ProcessIdentity.hasEnded(ProcessIdentity.pidOf(identity),
                    (int) identity) && words.compareAndSetLong(offset, word, 0)) {
                words.getAndAddLong(WAITING, -1);
            }
        }
    }

    private void freeSlot(int offset) {
        words.setLongRelease(offset + 8, 0);
        words.setLong(offset, 0);
        words.getAndAddLong(WAITING, -1);
    }

    /** Waiting slots whose process has died: frees them and returns how many (for {@link Barrier}). */
    int freeWaitingSlotsOfDeadProcesses(long[] deadPid) {
        int freed = 0;
        for (int i = 0; i < SLOTS; i++) {
            int offset = slot(i);
            long word = words.getLong(offset);
            long identity = words.getLong(offset + 8);
            if ((word & 3) == STATE_WAITING && identity != 0
                    && ProcessIdentity.hasEnded(ProcessIdentity.pidOf(identity), (int) identity)
                    && words.compareAndSetLong(offset, word, 0)) {
                words.getAndAddLong(WAITING, -1);
                deadPid[0] = ProcessIdentity.pidOf(identity);
                freed++;
            }
        }
        return freed;
    }

    private void requireHeld(String what) {
        if (!lock.isHeldByCurrentThread()) {
            throw new IllegalStateException("cannot " + what + " on " + this + " without holding its lock: call"
                    + " acquire() or hold() first (Python: cannot " + (what.equals("await") ? "wait" : "notify")
                    + " on un-acquired lock)");
        }
    }

    private static int slot(int index) {
        return SLOTS_START + index * 16;
    }

    @Override
    public HandleToken token() {
        return new Token(segment.name(), lock);
    }

    /** True for any handle on the same condition (the same shared memory), in this process or a copy sent here. */
    @Override
    public boolean equals(Object other) {
        return other != null && other.getClass() == getClass()
                && ((Condition) other).segment.name().equals(segment.name());
    }

    @Override
    public int hashCode() {
        return segment.name().hashCode();
    }

    @Override
    public String toString() {
        return "Condition[" + segment.name() + ", " + lock + ", waiting=" + words.getLong(WAITING) + "]";
    }

    /**
     * The travelling form of a {@link Condition}: its segment's name and its lock, which the reducer sends as its
     * own token.
     */
    record Token(String segment, Mutex lock) implements HandleToken {
        private static final long serialVersionUID = 1L;

        @Override
        public SharedHandle resolve() {
            return new Condition(SyncSegment.attach(segment, SyncSegment.Kind.CONDITION), (OwnedLock) lock);
        }
    }
}
