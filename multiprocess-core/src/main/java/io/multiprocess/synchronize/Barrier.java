package io.multiprocess.synchronize;

import io.multiprocess.errors.MultiprocessException;
import io.multiprocess.function.SerializableRunnable;
import io.multiprocess.reduction.HandleToken;
import io.multiprocess.reduction.SharedHandle;
import io.multiprocess.sharedmemory.AtomicView;
import java.time.Duration;

/**
 * A meeting point for a fixed number of parties, threads of any processes it reaches: Python's
 * {@code multiprocessing.Barrier}, which is {@code threading.Barrier}'s logic over shared state; this class ports
 * that logic over a {@link Condition} and words in shared memory.
 *
 * <pre>{@code
 * Barrier loaded = ctx.barrier(3, () -> System.out.println("all loaded"), Duration.ofMinutes(1));
 * for (int i = 0; i < 3; i++) {
 *     ctx.process(() -> {
 *         load();
 *         int index = loaded.await();        // 0, 1 or 2; the last to arrive runs the action first
 *         compute(index);
 *     }).start();
 * }
 * }</pre>
 *
 * <p>Each {@code await} returns a different index from 0 to {@code parties - 1}. The action, if any, runs exactly
 * once per round, in the last party to arrive, before any party is let go; if it throws, the barrier breaks, that
 * party gets the exception and the others {@link BarrierBrokenException}. A timeout, {@link #abort()} or
 * {@link #reset()} while parties wait also breaks it; {@link #reset()} makes a broken barrier usable again.
 *
 * <p>Beyond Python: the barrier notices a party that died while waiting at it, or while holding its lock (for
 * example while running the action), and breaks, so the others do not wait for it forever; it counts the dead
 * party out, so {@link #reset()} works afterwards. Create it with {@link io.multiprocess.BaseContext#barrier}.
 */
public final class Barrier implements SharedHandle {

    static final int STATE = 8;
    static final int COUNT = 16;
    /** One identity word per index: the process of the party that got that index and has not left yet. */
    static final int INSIDE = 64;
    static final int MAX_PARTIES = 1 << 20;

    private static final long FILLING = 0;
    private static final long DRAINING = 1;
    private static final long RESETTING = -1;
    private static final long BROKEN = -2;
    /** How often a waiting party looks for parties that died. */
    private static final Duration SLICE = Duration.ofMillis(50);

    private final SyncSegment segment;
    private final AtomicView words;
    private final Condition condition;
    private final int parties;
    private final SerializableRunnable action;
    private final long timeoutNanos;

    private Barrier(SyncSegment segment, Condition condition, int parties, SerializableRunnable action,
            long timeoutNanos) {
        this.segment = segment;
        this.words = segment.words;
        this.condition = condition;
        this.parties = parties;
        this.action = action;
        this.timeoutNanos = timeoutNanos;
    }

    /**
     * A new barrier; use {@link io.multiprocess.BaseContext#barrier(int, SerializableRunnable, Duration)}.
     *
     * @param action run by the last party to arrive, or null; it travels with the barrier, so it must be reducible
     * @param timeout the default for {@link #await()}, or null to wait without limit
     */
    public static Barrier create(int parties, SerializableRunnable action, Duration timeout) {
        if (parties < 1 || parties > MAX_PARTIES) {
            throw new IllegalArgumentException("a barrier needs between 1 and " + MAX_PARTIES + " parties, got "
                    + parties);
        }
        SyncSegment segment = SyncSegment.create(SyncSegment.Kind.BARRIER, INSIDE + 8 * parties);
        return new Barrier(segment, Condition.create(RLock.create()), parties, action,
                timeout == null ? -1 : Math.max(0, timeout.toNanos()));
    }

    /**
     * Waits until all parties have called it, with the barrier's default timeout (Python's {@code wait()}).
     *
     * @return this party's index, 0 to {@code parties - 1}
     * @throws BarrierBrokenException if the barrier is or becomes broken, or the timeout passes (which breaks it)
     * @throws io.multiprocess.errors.MultiprocessException if interrupted (the interrupt flag stays set)
     */
    public int await() {
        return timeoutNanos < 0 ? await(false, 0) : await(true, System.nanoTime() + timeoutNanos);
    }

    /** As {@link #await()}, waiting at most {@code timeout} (Python's {@code wait(timeout)}). */
    public int await(Duration timeout) {
        return await(true, Backoff.deadline(timeout));
    }

    /**
     * Returns the barrier to its initial state. Parties waiting at it get {@link BarrierBrokenException}
     * (Python's {@code reset()}).
     */
    public void reset() {
        lockRepairing();
        try {
            countOutDeadParties();
            if (words.getLong(COUNT) > 0) {
                long state = words.getLong(STATE);
                if (state == FILLING || state == BROKEN) {
                    words.setLong(STATE, RESETTING);
                }
            } else {
                words.setLong(STATE, FILLING);
            }
            condition.signalAll();
        } finally {
            condition.release();
        }
    }

    /** Breaks the barrier: waiting and later parties get {@link BarrierBrokenException} until {@link #reset()}. */
    public void abort() {
        lockRepairing();
        try {
            breakBarrier();
        } finally {
            condition.release();
        }
    }

    /** The number of parties it waits for. */
    public int parties() {
        return parties;
    }

    /** How many parties wait at it now (Python's {@code n_waiting}); a snapshot. */
    public int numberWaiting() {
        return words.getLong(STATE) == FILLING ? (int) words.getLong(COUNT) : 0;
    }

    /** Whether it is broken (Python's {@code broken}). */
    public boolean isBroken() {
        return words.getLong(STATE) == BROKEN;
    }

    private int await(boolean timed, long deadline) {
        lockOrBreak();
        try {
            enter();
            int index = (int) words.getLong(COUNT);
            words.setLong(COUNT, index + 1);
            words.setLong(INSIDE + 8 * index, ProcessIdentity.SELF);
            try {
                if (index + 1 == parties) {
                    letGo();
                } else {
                    waitToBeLetGo(timed, deadline);
                }
                return index;
            } finally {
                words.setLong(INSIDE + 8 * index, 0);
                words.setLong(COUNT, words.getLong(COUNT) - 1);
                leave();
            }
        } catch (OwnerDiedException e) {
            // A condition wait returns holding the lock even then.
            countOutDeadParties();
            breakBarrier();
            throw new BarrierBrokenException("process " + e.deadPid() + " died holding the lock of " + this
                    + "; the barrier is broken, reset() makes it usable again", e);
        } finally {
            condition.release();
        }
    }

    /** Waits while the previous round drains or a reset completes; refuses a broken barrier. */
    private void enter() {
        while (true) {
            long state = words.getLong(STATE);
            if (state != DRAINING && state != RESETTING) {
                break;
            }
            condition.await(SLICE);
            if (countOutDeadParties() > 0) {
                leave();
            }
        }
        if (words.getLong(STATE) == BROKEN) {
            throw new BarrierBrokenException(this + " is broken; reset() makes it usable again");
        }
    }

    /** The last party: runs the action, then lets everyone go. */
    private void letGo() {
        try {
            if (action != null) {
                action.run();
            }
            words.setLong(STATE, DRAINING);
            condition.signalAll();
        } catch (RuntimeException | Error e) {
            breakBarrier();
            throw e;
        } catch (Exception e) {
            breakBarrier();
            throw new MultiprocessException("the action of " + this + " failed; the barrier is broken", e);
        }
    }

    private void waitToBeLetGo(boolean timed, long deadline) {
        while (words.getLong(STATE) == FILLING) {
            long remaining = timed ? deadline - System.nanoTime() : SLICE.toNanos();
            if (remaining <= 0) {
                breakBarrier();
                throw new BarrierBrokenException("timed out waiting at " + this + " with " + words.getLong(COUNT)
                        + " of " + parties + " parties; the barrier is broken, reset() makes it usable again");
            }
            condition.await(Duration.ofNanos(Math.min(remaining, SLICE.toNanos())));
            long[] dead = new long[1];
            if (words.getLong(STATE) == FILLING && countOutDeadParties(dead) > 0) {
                breakBarrier();
                throw new BarrierBrokenException("process " + dead[0] + " died waiting at " + this + "; the"
                        + " barrier is broken, reset() makes it usable again");
            }
        }
        if (words.getLong(STATE) != DRAINING) {
            throw new BarrierBrokenException(this + " was broken or reset while this party waited");
        }
    }

    /** The last party out ends a drain or a reset. */
    private void leave() {
        long state = words.getLong(STATE);
        if (words.getLong(COUNT) == 0 && (state == RESETTING || state == DRAINING)) {
            words.setLong(STATE, FILLING);
            condition.signalAll();
        }
    }

    private void breakBarrier() {
        words.setLong(STATE, BROKEN);
        condition.signalAll();
    }

    private int countOutDeadParties() {
        return countOutDeadParties(new long[1]);
    }

    /** Parties inside whose process has died: forgets them and lowers the count; the lock is held. */
    private int countOutDeadParties(long[] dead) {
        int count = 0;
        for (int i = 0; i < parties; i++) {
            long identity = words.getLong(INSIDE + 8 * i);
            if (identity != 0 && ProcessIdentity.hasEndedRecently(ProcessIdentity.pidOf(identity), (int) identity)) {
                words.setLong(INSIDE + 8 * i, 0);
                words.setLong(COUNT, words.getLong(COUNT) - 1);
                dead[0] = ProcessIdentity.pidOf(identity);
                count++;
            }
        }
        return count;
    }

    /** Takes the lock; if its holder died, breaks the barrier and throws. */
    private void lockOrBreak() {
        try {
            condition.acquire();
        } catch (OwnerDiedException e) {
            acquireAfterDeath();
            try {
                countOutDeadParties();
                breakBarrier();
            } finally {
                condition.release();
            }
            throw new BarrierBrokenException("process " + e.deadPid() + " died holding the lock of " + this
                    + "; the barrier is broken, reset() makes it usable again", e);
        }
    }

    /** Takes the lock even if its holder died: for reset and abort, which repair. */
    private void lockRepairing() {
        try {
            condition.acquire();
        } catch (OwnerDiedException e) {
            acquireAfterDeath();
        }
    }

    private void acquireAfterDeath() {
        while (true) {
            try {
                condition.acquire();
                return;
            } catch (OwnerDiedException again) {
                // Another holder died meanwhile; it is released too.
            }
        }
    }

    @Override
    public HandleToken token() {
        return new Token(segment.name(), condition, parties, action, timeoutNanos);
    }

    /** True for any handle on the same barrier (the same shared memory), in this process or a copy sent here. */
    @Override
    public boolean equals(Object other) {
        return other != null && other.getClass() == getClass()
                && ((Barrier) other).segment.name().equals(segment.name());
    }

    @Override
    public int hashCode() {
        return segment.name().hashCode();
    }

    @Override
    public String toString() {
        long state = words.getLong(STATE);
        String name = state == FILLING ? "filling" : state == DRAINING ? "draining" : state == RESETTING
                ? "resetting" : "broken";
        return "Barrier[" + segment.name() + ", " + parties + " parties, " + name + "]";
    }

    /**
     * The travelling form of a {@link Barrier}: its segment's name, its condition (which the reducer sends as its own
     * token), its parties, action and default timeout.
     */
    record Token(String segment, Condition condition, int parties, SerializableRunnable action, long timeoutNanos)
            implements HandleToken {
        private static final long serialVersionUID = 1L;

        @Override
        public SharedHandle resolve() {
            return new Barrier(SyncSegment.attach(segment, SyncSegment.Kind.BARRIER), condition,
                    parties, action, timeoutNanos);
        }
    }
}
