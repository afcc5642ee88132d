package io.multiprocess.synchronize;

/**
 * A hold on a lock, semaphore permit or condition's lock, released by {@link #close()}: Java's answer to Python's
 * {@code with lock:}.
 *
 * <pre>{@code
 * try (Held held = lock.hold()) {
 *     counter.increment();
 * }
 * }</pre>
 */
public interface Held extends AutoCloseable {

    /** Releases what {@code hold()} acquired; a second call does nothing. */
    @Override
    void close();
}
