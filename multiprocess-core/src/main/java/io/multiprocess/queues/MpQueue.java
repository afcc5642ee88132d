package io.multiprocess.queues;

import io.multiprocess.internal.hosting.MailboxAccess;
import io.multiprocess.internal.hosting.Messages;
import io.multiprocess.internal.hosting.ObjectHost;
import io.multiprocess.reduction.HandleToken;
import io.multiprocess.reduction.Reducer;
import io.multiprocess.reduction.Reducers;
import io.multiprocess.reduction.SharedHandle;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A first-in first-out queue shared by processes: Python's {@code multiprocessing.Queue}. Create it with
 * {@code ctx.queue()} (unbounded) or {@code ctx.queue(maxsize)}, and give it to other processes as a process
 * argument, captured by a lambda, in a pool task, or inside a message sent through another queue or pipe.
 *
 * <pre>{@code
 * MpQueue<String> results = ctx.queue();
 * MpProcess worker = ctx.process(() -> results.put("done by " + Multiprocess.currentProcess().pid()));
 * worker.start();
 * String message = results.get(Duration.ofSeconds(10));
 * worker.join();
 * }</pre>
 *
 * <p>Items are reduced by the context's reducer when put: an item that cannot be reduced fails the {@code put}
 * call itself and nothing else is affected. Each producer's items arrive in the order it put them. {@code null}
 * is not an item (as in {@code java.util.Queue}); wrap optional values.
 *
 * <p>Empty and full are reported both ways: {@link #get(Duration)}, {@link #getNowait()}, {@link #put(Object,
 * Duration)} and {@link #putNowait(Object)} throw {@link QueueEmptyException} / {@link QueueFullException} as
 * Python raises {@code Empty} / {@code Full}; {@link #poll(Duration)} and {@link #offer(Object, Duration)} return
 * an empty {@code Optional} / {@code false} instead.
 *
 * <p>The queue lives in the process that created it; other processes reach it through that process (see
 * docs/communication.md), so it works for as long as its creator runs. Interrupting a thread blocked in
 * {@code get} or {@code put} throws {@link io.multiprocess.errors.MultiprocessException} with the interrupt flag set, and
 * loses nothing.
 *
 * @param <T> the type of the items
 */
public class MpQueue<T> implements SharedHandle {

    final MailboxAccess mailbox;
    final Reducer reducer;
    private volatile boolean closed;

    MpQueue(MailboxAccess mailbox, Reducer reducer) {
        this.mailbox = mailbox;
        this.reducer = reducer;
    }

    /**
     * A new queue hosted by this process; {@code maxsize} 0 or less means unbounded. Used by
     * {@code BaseContext.queue}.
     */
    public static <T> MpQueue<T> create(int maxsize, Reducer reducer) {
        return new MpQueue<>(new MailboxAccess.Local(ObjectHost.newMailbox(Math.max(0, maxsize))), reducer);
    }

    /** Puts {@code item}, waiting as long as it takes for room. */
    public void put(T item) {
        putOrTimeOut(item, -1);
    }

    /**
     * Puts {@code item}, waiting at most {@code timeout} for room.
     *
     * @throws QueueFullException if the queue stayed full that long
     */
    public void put(T item, Duration timeout) {
        if (!putOrTimeOut(item, timeout.toNanos())) {
            throw new QueueFullException("the queue stayed full (maxsize " + maxsize() + ") for " + timeout);
        }
    }

    /**
     * Puts {@code item} if there is room now (Python's {@code put_nowait}).
     *
     * @throws QueueFullException if the queue is full
     */
    public void putNowait(T item) {
        if (!putOrTimeOut(item, 0)) {
            throw new QueueFullException("the queue is full (maxsize " + maxsize() + ")");
        }
    }

    /** Puts {@code item} if there is room now; returns whether it was put. */
    public boolean offer(T item) {
        return putOrTimeOut(item, 0);
    }

    /** Puts {@code item} if room appears within {@code timeout}; returns whether it was put. */
    public boolean offer(T item, Duration timeout) {
        return putOrTimeOut(item, timeout.toNanos());
    }

    /** Removes and returns the next item, waiting as long as it takes. */
    public T get() {
        return getOrTimeOut(-1).orElseThrow();
    }

    /**
     * Removes and returns the next item, waiting at most {@code timeout}.
     *
     * @throws QueueEmptyException if none came in time
     */
    public T get(Duration timeout) {
        return getOrTimeOut(timeout.toNanos()).orElseThrow(
                () -> new QueueEmptyException("no item arrived within " + timeout));
    }

    /**
     * Removes and returns the next item if there is one now (Python's {@code get_nowait}).
     *
     * @throws QueueEmptyException if the queue is empty
     */
    public T getNowait() {
        return getOrTimeOut(0).orElseThrow(() -> new QueueEmptyException("the queue is empty"));
    }

    /** The next item if there is one now. */
    public Optional<T> poll() {
        return getOrTimeOut(0);
    }

    /** The next item if one comes within {@code timeout}. */
    public Optional<T> poll(Duration timeout) {
        return getOrTimeOut(timeout.toNanos());
    }

    /** How many items are in the queue now (already stale when it returns, with other processes at work). */
    public int qsize() {
        ensureOpen();
        return mailbox.size();
    }

    public boolean empty() {
        return qsize() == 0;
    }

    public boolean full() {
        int maxsize = maxsize();
        return maxsize > 0 && qsize() >= maxsize;
    }

    /** The bound given at creation; 0 for an unbounded queue. */
    public int maxsize() {
        return mailbox.maxsize();
    }

    /**
     * Closes this process's handle: it refuses {@code put} and {@code get} from now on. Items already put stay in
     * the queue for other processes (Python's {@code close}). Puts never wait for a background thread here, so
     * there is nothing to flush or join.
     */
    public void close() {
        closed = true;
    }

    public boolean isClosed() {
        return closed;
    }

    /**
     * Another handle on the same queue, open whether or not this one is: closing either leaves the other working.
     * For components of one process that each own a handle, as processes each own theirs (the Spring Boot starter
     * gives every injection point its own).
     *
     * <pre>{@code
     * MpQueue<Order> mine = orders.newHandle();
     * mine.close();                 // orders still works
     * }</pre>
     */
    public MpQueue<T> newHandle() {
        return new MpQueue<>(mailbox, reducer);
    }

    @Override
    public HandleToken token() {
        return new QueueToken(kind(), mailbox.publish(), mailbox.mailboxId(), mailbox.maxsize(),
                Reducers.nameOf(reducer));
    }

    QueueToken.Kind kind() {
        return QueueToken.Kind.QUEUE;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[hosted by process " + mailbox.hostPid() + ", id "
                + mailbox.mailboxId() + (maxsize() > 0 ? ", maxsize " + maxsize() : "") + (closed ? ", closed" : "")
                + "]";
    }

    private boolean putOrTimeOut(T item, long timeoutNanos) {
        Objects.requireNonNull(item, "a queue does not take null items; wrap optional values, e.g. in Optional");
        ensureOpen();
        byte[] bytes = Messages.dump(reducer, item);
        CompletableFuture<Boolean> put = mailbox.put(bytes, timeoutNanos);
        return Boolean.TRUE.equals(MailboxAccess.await(put, () -> mailbox.withdrawPut(put)));
    }

    @SuppressWarnings("unchecked")
    private Optional<T> getOrTimeOut(long timeoutNanos) {
        ensureOpen();
        CompletableFuture<byte[]> get = mailbox.get(timeoutNanos);
        byte[] bytes = MailboxAccess.await(get, () -> mailbox.withdraw(get));
        return bytes == null ? Optional.empty() : Optional.of((T) reducer.loads(bytes));
    }

    void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("this queue handle is closed; it refuses put and get");
        }
    }
}
