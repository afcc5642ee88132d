package io.multiprocess.synchronize;

import io.multiprocess.reduction.HandleToken;
import io.multiprocess.reduction.SharedHandle;

/**
 * A lock for threads of every process it reaches: Python's {@code multiprocessing.Lock}. Not re-entrant: a thread
 * that acquires it twice waits for itself. Any thread of any process may release it, as in Python.
 *
 * <pre>{@code
 * Lock lock = ctx.lock();
 * MpProcess p = ctx.process(() -> {
 *     try (Held held = lock.hold()) {          // or lock.acquire(); try { ... } finally { lock.release(); }
 *         appendLine(file, "child");
 *     }
 * });
 * }</pre>
 *
 * <p>It lives in shared memory: acquiring and releasing it uncontended is one compare-and-set each. A waiting
 * thread polls (see docs/synchronization.md). If the process holding it dies, it is released and waiters are told
 * with an {@link OwnerDiedException}; see {@link Acquirable#acquire()}.
 *
 * <p>It travels as a small token (the segment's name) through every reducer: as a process argument, captured by a
 * lambda, in a pool task or in a message. Create it with {@link io.multiprocess.BaseContext#lock()}.
 */
public final class Lock extends OwnedLock {

    private Lock(SyncSegment segment) {
        super(segment);
    }

    /** A new unlocked lock; use {@link io.multiprocess.BaseContext#lock()}. */
    public static Lock create() {
        return new Lock(SyncSegment.create(SyncSegment.Kind.LOCK, SIZE));
    }

    @Override
    boolean acquire(boolean timed, long deadline, boolean interruptible) {
        return acquireWord(ProcessIdentity.currentThread(), timed, deadline, interruptible);
    }

    @Override
    public boolean tryAcquire() {
        return tryAcquireWord(ProcessIdentity.currentThread());
    }

    /**
     * Releases it, whichever thread or process acquired it.
     *
     * @throws IllegalStateException if it is not locked (Python's "semaphore or lock released too many times")
     */
    @Override
    public void release() {
        while (true) {
            long owner = words.getLong(OWNER);
            if (owner == 0 || isRecovering(owner)) {
                throw new IllegalStateException("release of an unlocked " + this + " (Python: semaphore or lock"
                        + " released too many times); release only after a successful acquire");
            }
            words.setLongRelease(IDENTITY, 0);
            if (words.compareAndSetLong(OWNER, owner, 0)) {
                return;
            }
        }
    }

    @Override
    long releaseForWait() {
        release();
        return 0;
    }

    @Override
    public HandleToken token() {
        return new Token(segment.name());
    }

    /** The travelling form of a {@link Lock}: its segment's name. */
    record Token(String segment) implements HandleToken {
        private static final long serialVersionUID = 1L;

        @Override
        public SharedHandle resolve() {
            return new Lock(SyncSegment.attach(segment, SyncSegment.Kind.LOCK));
        }
    }
}
