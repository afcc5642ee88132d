package io.multiprocess.synchronize;

import io.multiprocess.errors.MultiprocessException;

/**
 * A process that held a lock or semaphore permits died without releasing them. What it held has been released,
 * but the call that throws this does <em>not</em> hold the lock (or the permit): the state the lock protects may
 * be half-updated. Catch it, acquire again, and repair that state if needed.
 *
 * <p>Thrown by the acquire call that finds the dead holder, and by every acquire call that was already waiting
 * when the dead holder's hold was released; acquire calls that begin afterwards behave normally. See
 * docs/synchronization.md, "When a holder dies".
 */
public class OwnerDiedException extends MultiprocessException {

    private static final long serialVersionUID = 1L;

    private final long deadPid;

    public OwnerDiedException(String message, long deadPid) {
        super(message);
        this.deadPid = deadPid;
    }

    /** The pid of the process that died holding the lock or permits. */
    public long deadPid() {
        return deadPid;
    }
}
