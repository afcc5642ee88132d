package io.multiprocess.synchronize;

import io.multiprocess.reduction.HandleToken;
import io.multiprocess.reduction.SharedHandle;

/**
 * A {@link Semaphore} whose count may never exceed its initial value: Python's
 * {@code multiprocessing.BoundedSemaphore}, for guarding a fixed number of resources. Releasing more than was
 * acquired is an error, which catches a release too many.
 *
 * <pre>{@code
 * BoundedSemaphore connections = ctx.boundedSemaphore(4);
 * try (Held held = connections.hold()) {
 *     query();
 * }
 * connections.release();     // IllegalStateException: released too many times
 * }</pre>
 *
 * <p>Create it with {@link io.multiprocess.BaseContext#boundedSemaphore(int)}.
 */
public final class BoundedSemaphore extends Semaphore {

    private BoundedSemaphore(SyncSegment segment) {
        super(segment);
    }

    /** A new bounded semaphore; use {@link io.multiprocess.BaseContext#boundedSemaphore(int)}. */
    public static BoundedSemaphore create(int value) {
        return new BoundedSemaphore(newSegment(SyncSegment.Kind.BOUNDED_SEMAPHORE, value));
    }

    /** The initial value, which the count may not exceed. */
    public int bound() {
        return (int) words.getLong(BOUND);
    }

    /**
     * Gives a permit back.
     *
     * @throws IllegalStateException if that would raise the count above the initial value (Python's "semaphore or
     *         lock released too many times")
     */
    @Override
    public void release() {
        long bound = words.getLong(BOUND);
        if (words.getLong(VALUE) >= bound) {
            throw releasedTooManyTimes(bound);
        }
        boolean counted = untrack();
        while (true) {
            long value = words.getLong(VALUE);
            if (value >= bound) {
                if (counted) {
                    track();
                }
                throw releasedTooManyTimes(bound);
            }
            if (words.compareAndSetLong(VALUE, value, value + 1)) {
                return;
            }
        }
    }

    private IllegalStateException releasedTooManyTimes(long bound) {
        return new IllegalStateException(this + " released too many times: its value may not exceed " + bound
                + " (Python: semaphore or lock released too many times); release only what was acquired");
    }

    @Override
    public HandleToken token() {
        return new Token(segment.name());
    }

    /** The travelling form of a {@link BoundedSemaphore}: its segment's name. */
    record Token(String segment) implements HandleToken {
        private static final long serialVersionUID = 1L;

        @Override
        public SharedHandle resolve() {
            return new BoundedSemaphore(SyncSegment.attach(segment, SyncSegment.Kind.BOUNDED_SEMAPHORE));
        }
    }
}
