package io.multiprocess.managers;

import java.time.Duration;

/**
 * A barrier held by a manager (Python's {@code manager.Barrier(parties)}): the methods of
 * {@link io.multiprocess.synchronize.Barrier}, each a call to the server. A timeout breaks the barrier for every
 * waiter, as in Python; waiting on a broken barrier throws {@link io.multiprocess.synchronize.BarrierBrokenException}.
 */
public interface BarrierProxy {

    /** Waits until {@link #parties()} parties wait; returns this party's arrival index (0 for the last to come). */
    int await();

    /** As {@link #await()}, breaking the barrier after {@code timeout}. */
    int await(Duration timeout);

    /** Breaks the barrier for current waiters and makes it usable again. */
    void reset();

    /** Breaks the barrier. */
    void abort();

    int parties();

    int numberWaiting();

    boolean isBroken();
}
