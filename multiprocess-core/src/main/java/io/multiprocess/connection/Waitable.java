package io.multiprocess.connection;

import java.time.Duration;
import java.util.Collection;
import java.util.List;

/**
 * Something a thread can wait on together with others: a {@link Connection} (ready when it can be received from)
 * or a process sentinel ({@code process.sentinel()}, ready when the process has exited). Python's
 * {@code multiprocessing.connection.wait} is {@link #waitAny}.
 *
 * <pre>{@code
 * List<Waitable> ready = Waitable.waitAny(List.of(results, worker.sentinel()), Duration.ofSeconds(5));
 * if (ready.contains(worker.sentinel())) { ... the worker exited ... }
 * }</pre>
 */
public interface Waitable {

    /** Whether waiting on this object would return at once. */
    boolean isReady();

    /**
     * Runs {@code action} once, as soon as this object is ready (at once, on the calling thread, if it already
     * is). The action must be quick and must not block; it may run on an internal thread.
     *
     * @return a handle whose {@code close()} withdraws the action if it has not run yet
     */
    AutoCloseable whenReady(Runnable action);

    /**
     * Waits until at least one of {@code objects} is ready, or {@code timeout} passes; returns the ready ones in
     * their order in {@code objects} (empty after a timeout). Zero or a negative timeout checks without waiting;
     * an empty collection returns an empty list at once when there is no timeout, and after it otherwise.
     *
     * @param timeout how long to wait; {@code null} waits as long as it takes
     * @throws IllegalStateException if one of the objects is a closed connection
     */
    static <T extends Waitable> List<T> waitAny(Collection<T> objects, Duration timeout) {
        return WaitAny.await(objects, timeout);
    }
}
