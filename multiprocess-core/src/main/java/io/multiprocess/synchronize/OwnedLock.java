package io.multiprocess.synchronize;

import io.multiprocess.errors.MultiprocessException;
import io.multiprocess.reduction.SharedHandle;
import io.multiprocess.sharedmemory.AtomicView;
import java.time.Duration;

/**
 * The lock word both {@link Lock} and {@link RLock} are made of, and everything they do alike: acquiring with a
 * compare-and-set, waiting with a {@link Backoff}, and recovering from a holder that died.
 *
 * <p>Layout (one cache line): {@code OWNER} is 0 when free, else the holder's owner word (pid and thread, see
 * {@link ProcessIdentity}); {@code IDENTITY} the holder's identity word (pid and start tag), written just after
 * the owner and cleared before it; {@code COUNT} the RLock's recursion depth; {@code DEATHS} how many dead holders
 * were released; {@code LAST_DEAD} the pid of the latest.
 *
 * <p>The owner-death rule: a waiter that has waited 10 ms, and every 10 ms after, checks that the holder's process
 * still exists. If not, it moves the owner word to "recovering" with a compare-and-set (only one waiter wins),
 * records the pid, increments {@code DEATHS}, and only then frees the word. Every acquire call reads
 * {@code DEATHS} when it starts; a call that had to wait and sees it change (while waiting, or right after its own
 * compare-and-set succeeded) gives the lock back and throws {@link OwnerDiedException}, as does the waiter that
 * did the recovery. Because {@code DEATHS} changes before the word is freed, no call that was waiting can take the
 * freed lock without noticing.
 */
abstract sealed class OwnedLock implements Mutex, SharedHandle permits Lock, RLock {

    static final int OWNER = 8;
    static final int IDENTITY = 16;
    static final int COUNT = 24;
    static final int DEATHS = 32;
    static final int LAST_DEAD = 40;
    static final int SIZE = 64;

    /** The thread bits of an owner word while a waiter releases a dead holder's lock. */
    private static final long RECOVERING = 0xFFFF_FFFFL;

    final SyncSegment segment;
    final AtomicView words;
    private volatile long nextTryLivenessCheck;

    OwnedLock(SyncSegment segment) {
        this.segment = segment;
        this.words = segment.words;
    }

    @Override
    public final boolean acquire(Duration timeout) {
        if (timeout.isZero() || timeout.isNegative()) {
            return tryAcquire();
        }
        return acquire(true, Backoff.deadline(timeout), true);
    }

    @Override
    public final void acquire() {
        acquire(false, 0, true);
    }

    /** Acquires for the calling thread; {@link Lock} and {@link RLock} differ in what "already mine" means. */
    abstract boolean acquire(boolean timed, long deadline, boolean interruptible);

    @Override
    public final boolean isLocked() {
        long owner = words.getLong(OWNER);
        return owner != 0 && !isRecovering(owner);
    }

    @Override
    public final boolean isHeldByCurrentThread() {
        return words.getLong(OWNER) == ProcessIdentity.currentThread();
    }

    /** Takes the free word for {@code me}; on the fast path a single compare-and-set. */
    final boolean acquireWord(long me, boolean timed, long deadline, boolean interruptible) {
        long deaths = words.getLong(DEATHS);
        if (words.compareAndSetLong(OWNER, 0, me)) {
            words.setLongRelease(IDENTITY, ProcessIdentity.SELF);
            return true;
        }
        return acquireWordSlowly(me, deaths, timed, deadline, interruptible);
    }

    /** One compare-and-set; on failure, at most every 10 ms, a look at whether the holder is dead. */
    final boolean tryAcquireWord(long me) {
        if (words.compareAndSetLong(OWNER, 0, me)) {
            words.setLongRelease(IDENTITY, ProcessIdentity.SELF);
            return true;
        }
        long now = System.nanoTime();
        if (now - nextTryLivenessCheck >= 0) {
            nextTryLivenessCheck = now + Backoff.LIVENESS_CHECK_NANOS;
            long owner = words.getLong(OWNER);
            if (owner != 0) {
                recoverIfDead(owner);
            }
        }
        return false;
    }

    private boolean acquireWordSlowly(long me, long deaths, boolean timed, long deadline, boolean interruptible) {
        Backoff backoff = new Backoff();
        boolean interrupted = false;
        try {
            while (true) {
                long owner = words.getLong(OWNER);
                if (owner == 0) {
                    if (words.compareAndSetLong(OWNER, 0, me)) {
                        words.setLongRelease(IDENTITY, ProcessIdentity.SELF);
                        if (words.getLong(DEATHS) != deaths) {
                            freeWord();
                            throw waitedThroughDeath();
                        }
                        return true;
                    }
                    continue;
                }
                if (words.getLong(DEATHS) != deaths) {
                    throw waitedThroughDeath();
                }
                if (backoff.livenessCheckDue()) {
                    recoverIfDead(owner);
                }
                if (timed && Backoff.passed(deadline)) {
                    return false;
                }
                if (Thread.interrupted()) {
                    if (interruptible) {
                        Thread.currentThread().interrupt();
                        throw new MultiprocessException("interrupted while waiting to acquire " + this);
                    }
                    interrupted = true;
                }
                backoff.pause(timed, deadline);
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Frees the word of a hold that is ours: identity first, so no stale identity outlives its owner. */
    final void freeWord() {
        words.setLongRelease(COUNT, 0);
        words.setLongRelease(IDENTITY, 0);
        words.setLongRelease(OWNER, 0);
    }

    /** Releases the lock held by {@code owner} if its process has ended, and throws; else returns. */
    private void recoverIfDead(long owner) {
        long pid = ProcessIdentity.pidOf(owner);
        if (pid == ProcessIdentity.PID) {
            return;
        }
        int tag = ProcessIdentity.tagFor(pid, words.getLong(IDENTITY));
        if (!ProcessIdentity.hasEnded(pid, tag)) {
            return;
        }
        long recovering = ProcessIdentity.PID << 32 | RECOVERING;
        if (!words.compareAndSetLong(OWNER, owner, recovering)) {
            return;
        }
        words.setLong(LAST_DEAD, pid);
        words.getAndAddLong(DEATHS, 1);
        words.setLong(COUNT, 0);
        words.setLong(IDENTITY, 0);
        words.compareAndSetLong(OWNER, recovering, 0);
        throw new OwnerDiedException("process " + pid + " died holding " + this + "; it has been released, but"
                + " this call did not acquire it: the state it protects may be half-updated. Acquire again, and"
                + " repair that state if needed", pid);
    }

    private OwnerDiedException waitedThroughDeath() {
        long pid = words.getLong(LAST_DEAD);
        return new OwnerDiedException("process " + pid + " died holding " + this + " while this call waited; it"
                + " has been released, but this call did not acquire it: the state it protects may be"
                + " half-updated. Acquire again, and repair that state if needed", pid);
    }

    static boolean isRecovering(long owner) {
        return (owner & 0xFFFF_FFFFL) == RECOVERING;
    }

    /** The calling thread holds it; give it up entirely for a condition wait, returning the depth to restore. */
    abstract long releaseForWait();

    /**
     * Takes it back after a condition wait, whatever happens: interrupts are kept for later, and if a holder died
     * meanwhile the lock is acquired again before the {@link OwnerDiedException} is thrown, so a waiter always
     * returns holding the lock.
     */
    final void reacquireAfterWait(long depth) {
        long me = ProcessIdentity.currentThread();
        OwnerDiedException died = null;
        while (true) {
            try {
                acquireWord(me, false, 0, false);
                break;
            } catch (OwnerDiedException e) {
                died = e;
            }
        }
        words.setLongRelease(COUNT, depth);
        if (died != null) {
            throw died;
        }
    }

    /** True for any handle on the same lock (the same shared memory), in this process or a copy sent here. */
    @Override
    public final boolean equals(Object other) {
        return other != null && other.getClass() == getClass()
                && ((OwnedLock) other).segment.name().equals(segment.name());
    }

    @Override
    public final int hashCode() {
        return segment.name().hashCode();
    }

    @Override
    public String toString() {
        long owner = words.getLong(OWNER);
        String state = owner == 0 ? "unlocked" : isRecovering(owner) ? "being released after its holder died"
                : "locked by pid " + ProcessIdentity.pidOf(owner);
        return getClass().getSimpleName() + "[" + segment.name() + ", " + state + "]";
    }
}
