package io.multiprocess.queues;

import io.multiprocess.internal.hosting.MailboxAccess;
import io.multiprocess.internal.hosting.ObjectHost;
import io.multiprocess.reduction.Reducer;
import java.time.Duration;

/**
 * A queue that counts unfinished items: Python's {@code multiprocessing.JoinableQueue}. Every {@code put} adds one;
 * a consumer calls {@link #taskDone()} once per item it has finished; {@link #join()} waits until none is left.
 *
 * <pre>{@code
 * JoinableQueue<Path> files = ctx.joinableQueue();
 * for (int i = 0; i < 2; i++) {
 *     MpProcess consumer = ctx.process(() -> {
 *         while (true) {
 *             Path file = files.get();
 *             compress(file);
 *             files.taskDone();
 *         }
 *     });
 *     consumer.setDaemon(true);
 *     consumer.start();
 * }
 * inputs.forEach(files::put);
 * files.join();   // every file has been compressed
 * }</pre>
 *
 * @param <T> the type of the items
 */
public class JoinableQueue<T> extends MpQueue<T> {

    JoinableQueue(MailboxAccess mailbox, Reducer reducer) {
        super(mailbox, reducer);
    }

    /** A new joinable queue hosted by this process; {@code maxsize} 0 or less means unbounded. */
    public static <T> JoinableQueue<T> createJoinable(int maxsize, Reducer reducer) {
        return new JoinableQueue<>(new MailboxAccess.Local(ObjectHost.newMailbox(Math.max(0, maxsize))), reducer);
    }

    /**
     * Marks one item taken from the queue as finished.
     *
     * @throws IllegalStateException if called more times than items were put (Python's {@code ValueError})
     */
    public void taskDone() {
        ensureOpen();
        mailbox.taskDone();
    }

    /** Another handle on the same joinable queue; see {@link MpQueue#newHandle()}. */
    @Override
    public JoinableQueue<T> newHandle() {
        return new JoinableQueue<>(mailbox, reducer);
    }

    /** Waits until every item put so far has been marked done. */
    public void join() {
        // Nothing to give back on an interrupt: the caller merely stops waiting.
        MailboxAccess.await(mailbox.join(-1), () -> true);
    }

    /** Waits at most {@code timeout} until every item put has been marked done; returns whether they were. */
    public boolean join(Duration timeout) {
        return Boolean.TRUE.equals(MailboxAccess.await(mailbox.join(timeout.toNanos()), () -> true));
    }

    @Override
    QueueToken.Kind kind() {
        return QueueToken.Kind.JOINABLE;
    }
}
