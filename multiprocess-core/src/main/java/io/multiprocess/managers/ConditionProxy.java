package io.multiprocess.managers;

import io.multiprocess.synchronize.Acquirable;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * A condition held by a manager (Python's {@code manager.Condition()}): the names of
 * {@link io.multiprocess.synchronize.Condition}, each a call to the server, over a reentrant lock in the server
 * owned by the calling thread. Waiting and signalling need that lock held by the calling thread (else
 * {@link IllegalStateException}, as Python's {@code RuntimeError}); {@link #await()} releases it fully while it
 * waits and holds it again when it returns.
 *
 * <p>Use it where processes on other machines must wait for each other; on one machine {@code ctx.condition()}
 * (shared memory) costs no round trip.
 */
public interface ConditionProxy extends Acquirable {

    /**
     * Releases the lock, waits in the server until signalled, and holds the lock again before returning (Python's
     * {@code wait()}). It may also return without a signal meant for this caller: wait in a loop, or use
     * {@link #awaitUntil(BooleanSupplier)}.
     *
     * @throws IllegalStateException if the calling thread does not hold the lock
     */
    void await();

    /**
     * As {@link #await()}, for at most {@code timeout}.
     *
     * @return false if the time ran out first, else true
     */
    boolean await(Duration timeout);

    /** Wakes the waiter that has waited longest, if any (Python's {@code notify()}); the lock must be held. */
    void signal();

    /** Wakes up to {@code n} waiters (Python's {@code notify(n)}); the lock must be held. */
    void signal(int n);

    /** Wakes every waiter (Python's {@code notify_all()}); the lock must be held. */
    void signalAll();

    /**
     * Waits until {@code predicate}, evaluated in this process with the lock held, is true (Python's
     * {@code wait_for}): checks it first, then after every wake-up.
     *
     * @return true
     */
    default boolean awaitUntil(BooleanSupplier predicate) {
        while (!predicate.getAsBoolean()) {
            await();
        }
        return true;
    }

    /**
     * Waits at most {@code timeout} until {@code predicate} is true (Python's {@code wait_for(predicate, timeout)}).
     *
     * @return the predicate's last result: false if the time ran out with it still false
     */
    default boolean awaitUntil(BooleanSupplier predicate, Duration timeout) {
        long deadline = System.nanoTime() + Math.max(0, timeout.toNanos());
        boolean result = predicate.getAsBoolean();
        while (!result) {
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                break;
            }
            await(Duration.ofNanos(remaining));
            result = predicate.getAsBoolean();
        }
        return result;
    }
}
