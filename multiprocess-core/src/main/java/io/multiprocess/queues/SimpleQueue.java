package io.multiprocess.queues;

import io.multiprocess.internal.hosting.MailboxAccess;
import io.multiprocess.internal.hosting.Messages;
import io.multiprocess.internal.hosting.ObjectHost;
import io.multiprocess.reduction.HandleToken;
import io.multiprocess.reduction.Reducer;
import io.multiprocess.reduction.Reducers;
import io.multiprocess.reduction.SharedHandle;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * The plain queue: Python's {@code multiprocessing.SimpleQueue}, with only {@code put}, {@code get},
 * {@code empty} and {@code close}. Unbounded; {@code get} waits as long as it takes.
 *
 * <pre>{@code
 * SimpleQueue<Integer> squares = ctx.simpleQueue();
 * ctx.process(() -> squares.put(7 * 7)).start();
 * int square = squares.get();   // 49
 * }</pre>
 *
 * @param <T> the type of the items
 */
public class SimpleQueue<T> implements SharedHandle {

    private final MailboxAccess mailbox;
    private final Reducer reducer;
    private volatile boolean closed;

    SimpleQueue(MailboxAccess mailbox, Reducer reducer) {
        this.mailbox = mailbox;
        this.reducer = reducer;
    }

    /** A new simple queue hosted by this process. */
    public static <T> SimpleQueue<T> create(Reducer reducer) {
        return new SimpleQueue<>(new MailboxAccess.Local(ObjectHost.newMailbox(0)), reducer);
    }

    public void put(T item) {
        Objects.requireNonNull(item, "a queue does not take null items; wrap optional values, e.g. in Optional");
        ensureOpen();
        MailboxAccess.await(mailbox.put(Messages.dump(reducer, item), -1), () -> false);
    }

    @SuppressWarnings("unchecked")
    public T get() {
        ensureOpen();
        CompletableFuture<byte[]> get = mailbox.get(-1);
        return (T) reducer.loads(MailboxAccess.await(get, () -> mailbox.withdraw(get)));
    }

    public boolean empty() {
        ensureOpen();
        return mailbox.size() == 0;
    }

    /** Closes this process's handle; it refuses put and get from now on. */
    public void close() {
        closed = true;
    }

    public boolean isClosed() {
        return closed;
    }

    @Override
    public HandleToken token() {
        return new QueueToken(QueueToken.Kind.SIMPLE, mailbox.publish(), mailbox.mailboxId(), 0,
                Reducers.nameOf(reducer));
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("this queue handle is closed; it refuses put and get");
        }
    }
}
