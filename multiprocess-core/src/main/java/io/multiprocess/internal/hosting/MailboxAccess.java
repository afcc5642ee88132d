package io.multiprocess.internal.hosting;

import io.multiprocess.errors.MultiprocessException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * A handle's way to its {@link Mailbox}: directly in the hosting process ({@link Local}), through an
 * {@link HostClient} from any other ({@link Remote}). Queues and pipe ends are written once against this.
 */
public sealed interface MailboxAccess permits MailboxAccess.Local, MailboxAccess.Remote {

    /** As {@link Mailbox#get(long)}. */
    CompletableFuture<byte[]> get(long timeoutNanos);

    /**
     * Withdraws a get that has not completed, waiting as long as it takes to know; returns false if it completed
     * with a message, which then belongs to the caller.
     */
    boolean withdraw(CompletableFuture<byte[]> getter);

    /**
     * Withdraws a put still waiting for room, waiting as long as it takes to know; returns false if it completed
     * (the item was put).
     */
    boolean withdrawPut(CompletableFuture<Boolean> put);

    /** Returns a message that was taken but will not be read here to the head of the mailbox. */
    void putBack(byte[] item);

    /** As {@link Mailbox#put(byte[], long)}. */
    CompletableFuture<Boolean> put(byte[] item, long timeoutNanos);

    int size();

    void taskDone();

    CompletableFuture<Boolean> join(long timeoutNanos);

    int maxsize();

    /**
     * Where the mailbox lives, for a token: in the hosting process this makes it reachable from others (and starts
     * listening if needed).
     */
    HostAddress publish();

    /** The pid of the process hosting the mailbox. */
    long hostPid();

    long mailboxId();

    /** The access to a mailbox from this process: direct if it is hosted here. */
    static MailboxAccess of(HostAddress host, long mailboxId, int maxsize) {
        if (host.isThisProcess()) {
            return new Local(ObjectHost.mailbox(mailboxId));
        }
        return new Remote(host, mailboxId, maxsize);
    }

    /**
     * Waits for {@code future} the way a blocking library call should: an interrupt withdraws what it can (via
     * {@code onInterrupt}, returning true if withdrawn) and throws with the interrupt flag kept; if the operation
     * completed anyway, its result is returned and the flag stays set.
     */
    static <T> T await(CompletableFuture<T> future, java.util.function.BooleanSupplier onInterrupt) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            // Withdrawn before the flag is set again, so the withdrawal's own waiting is not cut short.
            boolean withdrawn = onInterrupt.getAsBoolean();
            Thread.currentThread().interrupt();
            if (withdrawn) {
                throw new MultiprocessException("interrupted while waiting on a queue or pipe", e);
            }
            return future.join();
        } catch (ExecutionException e) {
            throw unwrap(e.getCause());
        } catch (CancellationException e) {
            throw new MultiprocessException("the operation was cancelled", e);
        }
    }

    private static RuntimeException unwrap(Throwable cause) {
        if (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause instanceof RuntimeException runtime ? runtime : new MultiprocessException(cause.toString(), cause);
    }

    /** The mailbox is in this process. */
    record Local(Mailbox mailbox) implements MailboxAccess {

        @Override
        public CompletableFuture<byte[]> get(long timeoutNanos) {
            return mailbox.get(timeoutNanos);
        }

        @Override
        public boolean withdraw(CompletableFuture<byte[]> getter) {
            return mailbox.withdraw(getter);
        }

        @Override
        public boolean withdrawPut(CompletableFuture<Boolean> put) {
            return mailbox.withdrawPut(put);
        }

        @Override
        public void putBack(byte[] item) {
            mailbox.putBackFirst(item);
        }

        @Override
        public CompletableFuture<Boolean> put(byte[] item, long timeoutNanos) {
            return mailbox.put(item, timeoutNanos);
        }

        @Override
        public int size() {
            return mailbox.size();
        }

        @Override
        public void taskDone() {
            mailbox.taskDone();
        }

        @Override
        public CompletableFuture<Boolean> join(long timeoutNanos) {
            return mailbox.join(timeoutNanos);
        }

        @Override
        public int maxsize() {
            return mailbox.maxsize();
        }

        @Override
        public HostAddress publish() {
            return ObjectHost.publish(mailbox);
        }

        @Override
        public long hostPid() {
            return ProcessHandle.current().pid();
        }

        @Override
        public long mailboxId() {
            return mailbox.id();
        }
    }

    /**
     * The mailbox is in another process, reached through this process's connection to it, opened on first use (so
     * a handle can always be received; using it says so if its host is gone).
     */
    record Remote(HostAddress host, long mailboxId, int maxsize) implements MailboxAccess {

        private HostClient client() {
            return HostClient.of(host);
        }

        @Override
        public CompletableFuture<byte[]> get(long timeoutNanos) {
            return client().get(mailboxId, timeoutNanos);
        }

        @Override
        public boolean withdraw(CompletableFuture<byte[]> getter) {
            return client().withdraw(mailboxId, getter, null);
        }

        @Override
        public boolean withdrawPut(CompletableFuture<Boolean> put) {
            return client().withdraw(mailboxId, put, Boolean.FALSE);
        }

        @Override
        public void putBack(byte[] item) {
            client().putBack(mailboxId, item);
        }

        @Override
        public CompletableFuture<Boolean> put(byte[] item, long timeoutNanos) {
            if (maxsize <= 0) {
                // Never full: the producer does not wait for the host, as with Python's feeder thread.
                client().putOneWay(mailboxId, item);
                return CompletableFuture.completedFuture(true);
            }
            return client().put(mailboxId, item, timeoutNanos);
        }

        @Override
        public int size() {
            return await(client().size(mailboxId), () -> false);
        }

        @Override
        public void taskDone() {
            await(client().taskDone(mailboxId), () -> false);
        }

        @Override
        public CompletableFuture<Boolean> join(long timeoutNanos) {
            return client().join(mailboxId, timeoutNanos);
        }

        @Override
        public HostAddress publish() {
            return host;
        }

        @Override
        public long hostPid() {
            return host.pid();
        }
    }
}
