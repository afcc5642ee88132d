package io.multiprocess.internal.hosting;

import io.multiprocess.internal.LibraryTimer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A first-in first-out store of reduced messages with waiting getters and putters: the state behind a queue (one
 * mailbox) and a pipe (one per direction). It lives in the process that created it; handles in that process call
 * it directly and other processes reach it through {@link ObjectHost}.
 *
 * <p>Nothing here blocks: an operation completes at once or returns a future that completes when it can, or when
 * its timeout passes. Getters and putters are served in arrival order, whichever process they come from.
 * Futures are completed outside the monitor, since completing one may write a reply to a socket.
 */
public final class Mailbox {

    /** What a get yields once every writer closed and nothing is left; compared by identity. */
    public static final byte[] END = new byte[0];

    private final long id;
    private final int maxsize;
    private final long byteBudget;
    private long bufferedBytes;
    private final ArrayDeque<byte[]> items = new ArrayDeque<>();
    private final ArrayDeque<CompletableFuture<byte[]>> getters = new ArrayDeque<>();
    private final ArrayDeque<PendingPut> putters = new ArrayDeque<>();
    private final List<CompletableFuture<Boolean>> joiners = new ArrayList<>();
    private final List<Runnable> readyActions = new ArrayList<>();
    private int unfinishedTasks;
    private boolean writersClosed;
    private boolean readersClosed;

    private record PendingPut(byte[] item, CompletableFuture<Boolean> done) {
    }

    /**
     * @param maxsize    most messages held (0: no limit), a queue's bound
     * @param byteBudget most bytes held while more than one message waits, a pipe's capacity (as an OS pipe's):
     *                   a sender faster than its reader waits instead of filling this process's heap
     */
    Mailbox(long id, int maxsize, long byteBudget) {
        this.id = id;
        this.maxsize = maxsize;
        this.byteBudget = byteBudget;
    }

    public long id() {
        return id;
    }

    public int maxsize() {
        return maxsize;
    }

    /**
     * The next message: completes with it, with {@link #END} once the writers closed and nothing is left, or with
     * null when {@code timeoutNanos} passes first (negative: no timeout, zero: do not wait).
     */
    public CompletableFuture<byte[]> get(long timeoutNanos) {
        byte[] item;
        List<PendingPut> admitted;
        synchronized (this) {
            item = items.poll();
            admitted = null;
            if (item != null) {
                bufferedBytes -= item.length;
                admitted = admitWaitingPuts();
            } else {
                if (writersClosed) {
                    item = END;
                } else if (timeoutNanos == 0) {
                    return CompletableFuture.completedFuture(null);
                } else {
                    CompletableFuture<byte[]> getter = new CompletableFuture<>();
                    getters.add(getter);
                    LibraryTimer.expireUnlessDone(timeoutNanos, getter, () -> withdraw(getter));
                    return getter;
                }
            }
        }
        if (admitted != null) {
            admitted.forEach(pending -> pending.done().complete(true));
        }
        return CompletableFuture.completedFuture(item);
    }

    /**
     * Withdraws a get that has not completed; returns false if it already has (its message then belongs to the
     * caller).
     */
    public boolean withdraw(CompletableFuture<byte[]> getter) {
        synchronized (this) {
            if (!getters.remove(getter)) {
                return false;
            }
        }
        getter.complete(null);
        return true;
    }

    /**
     * Puts a message: completes with true once it is in the mailbox (or handed to a waiting getter), false if the
     * mailbox stayed full for {@code timeoutNanos}; fails with an {@link UncheckedIOException} if every reader
     * closed.
     */
    public CompletableFuture<Boolean> put(byte[] item, long timeoutNanos) {
        CompletableFuture<byte[]> getter;
        List<Runnable> actions;
        synchronized (this) {
            if (readersClosed) {
                return CompletableFuture.failedFuture(brokenPipe());
            }
            getter = getters.poll();
            if (getter == null && !hasRoomFor(item)) {
                if (timeoutNanos == 0) {
                    return CompletableFuture.completedFuture(false);
                }
                PendingPut pending = new PendingPut(item, new CompletableFuture<>());
                putters.add(pending);
                LibraryTimer.expireUnlessDone(timeoutNanos, pending.done(), () -> expire(pending));
                return pending.done();
            }
            unfinishedTasks++;
            if (getter == null) {
                items.add(item);
                bufferedBytes += item.length;
            }
            actions = takeReadyActions();
        }
        if (getter != null) {
            getter.complete(item);
        }
        actions.forEach(Runnable::run);
        return CompletableFuture.completedFuture(true);
    }

    /**
     * Puts back a message whose getter vanished before receiving it (its process died mid-reply), ahead of the
     * others, so it is not lost.
     */
    public void putBackFirst(byte[] item) {
        CompletableFuture<byte[]> getter;
        synchronized (this) {
            if (readersClosed) {
                return;
            }
            getter = getters.poll();
            if (getter == null) {
                items.addFirst(item);
                bufferedBytes += item.length;
            }
        }
        if (getter != null) {
            getter.complete(item);
        }
    }

    public synchronized int size() {
        return items.size();
    }

    /** Marks one message as processed ({@code JoinableQueue.taskDone}). */
    public void taskDone() {
        List<CompletableFuture<Boolean>> done;
        synchronized (this) {
            if (unfinishedTasks <= 0) {
                throw new IllegalStateException("taskDone() was called more times than there were items put");
            }
            unfinishedTasks--;
            if (unfinishedTasks > 0) {
                return;
            }
            done = new ArrayList<>(joiners);
            joiners.clear();
        }
        done.forEach(joiner -> joiner.complete(true));
    }

    /** Completes with true once every message put has been marked done, false after {@code timeoutNanos}. */
    public CompletableFuture<Boolean> join(long timeoutNanos) {
        synchronized (this) {
            if (unfinishedTasks == 0) {
                return CompletableFuture.completedFuture(true);
            }
            if (timeoutNanos == 0) {
                return CompletableFuture.completedFuture(false);
            }
            CompletableFuture<Boolean> joiner = new CompletableFuture<>();
            joiners.add(joiner);
            LibraryTimer.expireUnlessDone(timeoutNanos, joiner, () -> {
                synchronized (this) {
                    joiners.remove(joiner);
                }
                joiner.complete(false);
            });
            return joiner;
        }
    }

    /** No more messages will come: getters receive what is left, then {@link #END}. */
    public void closeWriting() {
        List<CompletableFuture<byte[]>> ended;
        List<Runnable> actions;
        synchronized (this) {
            writersClosed = true;
            if (!items.isEmpty()) {
                return;
            }
            ended = new ArrayList<>(getters);
            getters.clear();
            actions = takeReadyActions();
        }
        ended.forEach(getter -> getter.complete(END));
        actions.forEach(Runnable::run);
    }

    /** Nobody will read any more: messages are dropped and puts fail as a broken pipe. */
    public void closeReading() {
        List<PendingPut> refused;
        synchronized (this) {
            readersClosed = true;
            items.clear();
            bufferedBytes = 0;
            refused = new ArrayList<>(putters);
            putters.clear();
        }
        refused.forEach(pending -> pending.done().completeExceptionally(brokenPipe()));
    }

    /** Runs {@code action} once a get would not wait (a message or the end is there), at once if it already is. */
    public Runnable whenReady(Runnable action) {
        synchronized (this) {
            if (items.isEmpty() && !writersClosed) {
                readyActions.add(action);
                return () -> {
                    synchronized (this) {
                        readyActions.remove(action);
                    }
                };
            }
        }
        action.run();
        return () -> { };
    }

    private List<Runnable> takeReadyActions() {
        if (readyActions.isEmpty()) {
            return List.of();
        }
        List<Runnable> actions = new ArrayList<>(readyActions);
        readyActions.clear();
        return actions;
    }

    /** Called with the monitor held: whether a new message may go in now, behind any put already waiting. */
    private boolean hasRoomFor(byte[] item) {
        if (!putters.isEmpty() || maxsize > 0 && items.size() >= maxsize) {
            return false;
        }
        // One message is always let in, however large, so a message bigger than the budget still gets through.
        return items.isEmpty() || bufferedBytes + item.length <= byteBudget;
    }

    /** Called with the monitor held after an item left: moves waiting puts in, in order, while there is room. */
    private List<PendingPut> admitWaitingPuts() {
        List<PendingPut> admitted = null;
        while (!putters.isEmpty()) {
            PendingPut pending = putters.peek();
            boolean room = (maxsize <= 0 || items.size() < maxsize)
                    && (items.isEmpty() || bufferedBytes + pending.item().length <= byteBudget);
            if (!room) {
                break;
            }
            putters.poll();
            items.add(pending.item());
            bufferedBytes += pending.item().length;
            unfinishedTasks++;
            if (admitted == null) {
                admitted = new ArrayList<>(1);
            }
            admitted.add(pending);
        }
        return admitted;
    }

    /**
     * Withdraws a put that is still waiting for room; returns false if it already completed (the item is then in
     * the mailbox).
     */
    public boolean withdrawPut(CompletableFuture<Boolean> put) {
        PendingPut found = null;
        synchronized (this) {
            for (PendingPut pending : putters) {
                if (pending.done() == put) {
                    found = pending;
                    break;
                }
            }
            if (found == null) {
                return false;
            }
            putters.remove(found);
        }
        found.done().complete(false);
        return true;
    }

    private void expire(PendingPut pending) {
        withdrawPut(pending.done());
    }

    private static UncheckedIOException brokenPipe() {
        return new UncheckedIOException(new IOException("broken pipe: every reader of the other end is closed"));
    }

    @Override
    public synchronized String toString() {
        return "Mailbox[" + id + ", " + items.size() + " items" + (maxsize > 0 ? " of " + maxsize : "") + "]";
    }
}
