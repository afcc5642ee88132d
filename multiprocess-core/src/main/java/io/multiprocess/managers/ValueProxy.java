package io.multiprocess.managers;

/**
 * A value held by a manager (Python's {@code manager.Value(typecode, value)}): {@code get()} and {@code set()} are
 * calls to the server. Read-modify-write is not atomic: use {@link #getAndSet}/{@link #compareAndSet}, or a lock.
 * On one machine {@code ctx.value(...)} (shared memory) costs nanoseconds instead of a round trip.
 */
public interface ValueProxy<T> {

    T get();

    void set(T value);

    /** Sets {@code value} and returns the previous one, atomically in the server. */
    T getAndSet(T value);

    /** Sets {@code update} if the current value {@code equals} {@code expected}, atomically in the server. */
    boolean compareAndSet(T expected, T update);
}
