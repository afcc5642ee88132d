package io.multiprocess.synchronize;

import java.time.Duration;

/**
 * What locks, semaphores and conditions have in common: Python's {@code acquire}/{@code release} and
 * {@code with}. Every method may be called from any thread of any process the object reached.
 */
public interface Acquirable {

    /**
     * Blocks until acquired.
     *
     * @throws OwnerDiedException if a holder died while this call waited (or this call found it dead); not acquired
     * @throws io.multiprocess.errors.MultiprocessException if the thread was interrupted while waiting (the interrupt
     *         flag stays set); not acquired
     */
    void acquire();

    /**
     * Waits at most {@code timeout} (zero or negative: not at all) to acquire; Python's
     * {@code acquire(timeout=...)}.
     *
     * @return whether it was acquired
     * @throws OwnerDiedException as {@link #acquire()}
     */
    boolean acquire(Duration timeout);

    /**
     * Acquires only if that needs no waiting; Python's {@code acquire(block=False)}.
     *
     * @return whether it was acquired
     * @throws OwnerDiedException if this call found that a dead process holds it; released, not acquired
     */
    boolean tryAcquire();

    /** Releases once. */
    void release();

    /**
     * Acquires, and returns a {@link Held} whose {@code close()} releases: use it with try-with-resources. If
     * acquiring throws, nothing is held and the try block does not run.
     */
    default Held hold() {
        acquire();
        return new Held() {
            private boolean closed;

            @Override
            public void close() {
                if (!closed) {
                    closed = true;
                    release();
                }
            }
        };
    }
}
