package io.multiprocess.managers;

import java.time.Duration;

/**
 * An event held by a manager (Python's {@code manager.Event()}): the methods of
 * {@link io.multiprocess.synchronize.Event}, each a call to the server. Use it where processes on other machines
 * must wait for the same event; on one machine {@code ctx.event()} (shared memory) costs no round trip.
 */
public interface EventProxy {

    boolean isSet();

    /** Sets the flag and wakes every waiter. */
    void set();

    void clear();

    /** Waits in the server until the flag is set. */
    void await();

    /** Waits at most {@code timeout}; returns whether the flag is set. */
    boolean await(Duration timeout);
}
