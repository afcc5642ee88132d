package io.multiprocess.synchronize;

import io.multiprocess.errors.MultiprocessException;
import io.multiprocess.reduction.HandleToken;
import io.multiprocess.reduction.SharedHandle;
import io.multiprocess.sharedmemory.AtomicView;
import java.time.Duration;

/**
 * A flag that threads of every process it reaches can set, clear and wait for: Python's
 * {@code multiprocessing.Event}.
 *
 * <pre>{@code
 * Event started = ctx.event();
 * ctx.process(() -> { warmUp(); started.set(); serve(); }).start();
 * if (!started.await(Duration.ofSeconds(30))) {
 *     throw new IllegalStateException("the server did not start");
 * }
 * }</pre>
 *
 * <p>One word in shared memory: the flag and a count of {@code set()} calls. A waiter polls it (see
 * docs/synchronization.md), so a {@code set()} in another process is seen within about 1 ms; a waiter that was
 * waiting when {@code set()} was called returns true even if {@code clear()} followed at once (as
 * {@code threading.Event}). Create it with {@link io.multiprocess.BaseContext#event()}.
 */
public final class Event implements SharedHandle {

    /** {@code sets << 1 | flag}. */
    static final int STATE = 8;
    static final int SIZE = 16;

    private final SyncSegment segment;
    private final AtomicView words;

    private Event(SyncSegment segment) {
        this.segment = segment;
        this.words = segment.words;
    }

    /** A new event, not set; use {@link io.multiprocess.BaseContext#event()}. */
    public static Event create() {
        return new Event(SyncSegment.create(SyncSegment.Kind.EVENT, SIZE));
    }

    /** Whether the flag is set (Python's {@code is_set()}). */
    public boolean isSet() {
        return (words.getLong(STATE) & 1) != 0;
    }

    /** Sets the flag: every waiter returns, and later {@code await} calls return at once until {@link #clear()}. */
    public void set() {
        while (true) {
            long state = words.getLong(STATE);
            if ((state & 1) != 0 || words.compareAndSetLong(STATE, state, (state | 1) + 2)) {
                return;
            }
        }
    }

    /** Clears the flag. */
    public void clear() {
        while (true) {
            long state = words.getLong(STATE);
            if ((state & 1) == 0 || words.compareAndSetLong(STATE, state, state & ~1L)) {
                return;
            }
        }
    }

    /**
     * Waits until the flag is set; returns at once if it is.
     *
     * @throws io.multiprocess.errors.MultiprocessException if interrupted (the interrupt flag stays set)
     */
    public void await() {
        await(false, 0);
    }

    /**
     * Waits at most {@code timeout} for the flag.
     *
     * @return true if it is set, or was set while this call waited; false if the time ran out
     */
    public boolean await(Duration timeout) {
        return await(true, Backoff.deadline(timeout));
    }

    private boolean await(boolean timed, long deadline) {
        long start = words.getLong(STATE);
        if ((start & 1) != 0) {
            return true;
        }
        Backoff backoff = new Backoff();
        while (true) {
            long state = words.getLong(STATE);
            if ((state & 1) != 0 || state >>> 1 != start >>> 1) {
                return true;
            }
            if (timed && Backoff.passed(deadline)) {
                return false;
            }
            if (Thread.currentThread().isInterrupted()) {
                throw new MultiprocessException("interrupted while waiting for " + this);
            }
            backoff.pause(timed, deadline);
        }
    }

    @Override
    public HandleToken token() {
        return new Token(segment.name());
    }

    /** True for any handle on the same event (the same shared memory), in this process or a copy sent here. */
    @Override
    public boolean equals(Object other) {
        return other != null && other.getClass() == getClass()
                && ((Event) other).segment.name().equals(segment.name());
    }

    @Override
    public int hashCode() {
        return segment.name().hashCode();
    }

    @Override
    public String toString() {
        return "Event[" + segment.name() + ", " + (isSet() ? "set" : "not set") + "]";
    }

    /** The travelling form of an {@link Event}: its segment's name. */
    record Token(String segment) implements HandleToken {
        private static final long serialVersionUID = 1L;

        @Override
        public SharedHandle resolve() {
            return new Event(SyncSegment.attach(segment, SyncSegment.Kind.EVENT));
        }
    }
}
