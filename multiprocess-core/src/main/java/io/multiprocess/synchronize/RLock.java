package io.multiprocess.synchronize;

import io.multiprocess.reduction.HandleToken;
import io.multiprocess.reduction.SharedHandle;

/**
 * A re-entrant lock for threads of every process it reaches: Python's {@code multiprocessing.RLock}. The thread
 * that holds it (a thread of one process) may acquire it again; it is free once released as many times as it was
 * acquired. Only that thread may release it.
 *
 * <pre>{@code
 * RLock lock = ctx.rlock();
 * try (Held outer = lock.hold()) {
 *     try (Held inner = lock.hold()) {    // same thread: no wait
 *         update();
 *     }
 * }
 * }</pre>
 *
 * <p>Shared memory, polling waiters, owner death and travel as for {@link Lock}. Create it with
 * {@link io.multiprocess.BaseContext#rlock()}.
 */
public final class RLock extends OwnedLock {

    private RLock(SyncSegment segment) {
        super(segment);
    }

    /** A new unlocked re-entrant lock; use {@link io.multiprocess.BaseContext#rlock()}. */
    public static RLock create() {
        return new RLock(SyncSegment.create(SyncSegment.Kind.RLOCK, SIZE));
    }

    @Override
    boolean acquire(boolean timed, long deadline, boolean interruptible) {
        long me = ProcessIdentity.currentThread();
        if (words.getLong(OWNER) == me) {
            words.setLongRelease(COUNT, words.getLong(COUNT) + 1);
            return true;
        }
        if (acquireWord(me, timed, deadline, interruptible)) {
            words.setLongRelease(COUNT, 1);
            return true;
        }
        return false;
    }

    @Override
    public boolean tryAcquire() {
        long me = ProcessIdentity.currentThread();
        if (words.getLong(OWNER) == me) {
            words.setLongRelease(COUNT, words.getLong(COUNT) + 1);
            return true;
        }
        if (tryAcquireWord(me)) {
            words.setLongRelease(COUNT, 1);
            return true;
        }
        return false;
    }

    /**
     * Releases one level; the last release frees it.
     *
     * @throws IllegalStateException if the calling thread does not hold it
     */
    @Override
    public void release() {
        if (words.getLong(OWNER) != ProcessIdentity.currentThread()) {
            throw new IllegalStateException("cannot release un-acquired lock: " + this + " is not held by this"
                    + " thread (pid " + ProcessIdentity.PID + ", " + Thread.currentThread().getName() + "); only"
                    + " the thread that acquired an RLock may release it");
        }
        long count = words.getLong(COUNT);
        if (count > 1) {
            words.setLongRelease(COUNT, count - 1);
        } else {
            freeWord();
        }
    }

    /** How many times the calling thread holds it (0 if it does not). */
    public int holdCount() {
        return isHeldByCurrentThread() ? (int) words.getLong(COUNT) : 0;
    }

    @Override
    long releaseForWait() {
        long count = words.getLong(COUNT);
        freeWord();
        return count;
    }

    @Override
    public HandleToken token() {
        return new Token(segment.name());
    }

    /** The travelling form of an {@link RLock}: its segment's name. */
    record Token(String segment) implements HandleToken {
        private static final long serialVersionUID = 1L;

        @Override
        public SharedHandle resolve() {
            return new RLock(SyncSegment.attach(segment, SyncSegment.Kind.RLOCK));
        }
    }
}
