package io.multiprocess.connection;

import io.multiprocess.errors.EndOfStreamException;
import io.multiprocess.errors.MultiprocessException;
import io.multiprocess.internal.context.ContextDefaults;
import io.multiprocess.internal.context.MessageScope;
import io.multiprocess.internal.hosting.HostAddress;
import io.multiprocess.internal.hosting.Mailbox;
import io.multiprocess.internal.hosting.MailboxAccess;
import io.multiprocess.internal.hosting.Messages;
import io.multiprocess.internal.hosting.PipeEndRef;
import io.multiprocess.internal.hosting.SpareArrays;
import io.multiprocess.reduction.HandleToken;
import io.multiprocess.reduction.Reducer;
import io.multiprocess.reduction.Reducers;
import io.multiprocess.reduction.ReductionException;
import io.multiprocess.reduction.SharedHandle;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ref.Cleaner;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One handle on a pipe end (see {@link Pipe}). Reads go through at most one outstanding get on the inbound
 * mailbox, kept in {@link #next} until a receive takes it, so a poll that times out, an interrupt or a
 * {@code waitAny} never loses a message.
 */
final class PipeConnection implements Connection, SharedHandle {

    private static final Cleaner CLEANER = Cleaner.create();

    private final PipeEndRef end;
    private final Reducer reducer;
    /** Serializes receivers; never held by close(), so closing wakes a blocked receiver. */
    private final Object receivers = new Object();
    /** Guards {@link #next} and {@link #ended}; held only briefly. */
    private final Object state = new Object();
    private final Cleaner.Cleanable holding;
    private CompletableFuture<byte[]> next;
    private boolean ended;
    private volatile boolean closed;

    PipeConnection(PipeEndRef end, Reducer reducer) {
        this.end = end;
        this.reducer = reducer;
        // A handle that is dropped without close() stops holding the end when collected, as in Python.
        this.holding = CLEANER.register(this, end::detach);
    }

    @Override
    public void send(Object value) {
        requireWritable();
        sendReduced(Messages.dump(reducer, value));
    }

    @Override
    public void sendBytes(byte[] buffer, int offset, int size) {
        if (offset < 0 || size < 0 || offset + size > buffer.length) {
            throw new IndexOutOfBoundsException("offset " + offset + " and size " + size + " do not fit a buffer of "
                    + buffer.length);
        }
        requireWritable();
        // A remote send is written to the socket before it returns; a local one is kept, so it needs its own copy.
        boolean written = end.outbound() instanceof MailboxAccess.Remote && offset == 0 && size == buffer.length;
        if (written) {
            sendReduced(buffer);
        } else {
            byte[] copy = SpareArrays.take(size);
            System.arraycopy(buffer, offset, copy, 0, size);
            sendReduced(copy);
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T recv() {
        return (T) reducer.loads(receive());
    }

    @Override
    public byte[] recvBytes(int maxLength) {
        if (maxLength < 0) {
            throw new IllegalArgumentException("maxLength must not be negative: " + maxLength);
        }
        byte[] message = receive();
        if (message.length > maxLength) {
            close();
            throw new UncheckedIOException(new IOException("received a message of " + message.length
                    + " bytes where at most " + maxLength + " are allowed; the connection was closed"));
        }
        return message;
    }

    @Override
    public int recvBytesInto(byte[] buffer, int offset) {
        if (offset < 0 || offset > buffer.length) {
            throw new IndexOutOfBoundsException("offset " + offset + " is outside a buffer of " + buffer.length);
        }
        byte[] message = receive();
        if (message.length > buffer.length - offset) {
            throw new BufferTooShortException(message, buffer.length - offset);
        }
        System.arraycopy(message, 0, buffer, offset, message.length);
        return message.length;
    }

    @Override
    public boolean poll(Duration timeout) {
        requireReadable();
        CompletableFuture<byte[]> pending;
        synchronized (state) {
            if (ended) {
                return true;
            }
            pending = outstanding();
        }
        if (pending.isDone()) {
            return true;
        }
        try {
            pending.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MultiprocessException("interrupted while polling a pipe", e);
        }
    }

    @Override
    public AutoCloseable whenReady(Runnable action) {
        requireReadable();
        CompletableFuture<byte[]> pending;
        synchronized (state) {
            if (ended) {
                action.run();
                return () -> { };
            }
            pending = outstanding();
        }
        AtomicBoolean withdrawn = new AtomicBoolean();
        pending.whenComplete((message, error) -> {
            if (!withdrawn.get()) {
                action.run();
            }
        });
        return () -> withdrawn.set(true);
    }

    @Override
    public boolean readable() {
        return end.inbound() != null;
    }

    @Override
    public boolean writable() {
        return end.outbound() != null;
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        synchronized (state) {
            withdrawOutstanding();
        }
        holding.clean();
    }

    @Override
    public HandleToken token() {
        if (closed) {
            throw new ReductionException("a closed pipe end cannot be sent to another process");
        }
        if (MessageScope.within(MessageScope.Kind.MESSAGE) && !ContextDefaults.connectionPicklingAllowed()) {
            throw new ReductionException("a pipe end is being sent inside a message (a queue item or a pipe "
                    + "message), which is allowed only after Multiprocess.allowConnectionPickling(): the receiver "
                    + "gets a channel into this pipe. Call it first, or pass the end as a process argument.");
        }
        synchronized (state) {
            // A message fetched for this handle must stay readable by whoever receives the copy.
            withdrawOutstanding();
        }
        end.markInTransit();
        return new PipeToken(end.publish(), end.endId(), mailboxId(end.inbound()), mailboxId(end.outbound()),
                Reducers.nameOf(reducer));
    }

    @Override
    public String toString() {
        return "Connection[pipe end " + end.endId() + " hosted by process " + end.hostPid()
                + (readable() ? ", readable" : "") + (writable() ? ", writable" : "") + (closed ? ", closed" : "")
                + "]";
    }

    private byte[] receive() {
        requireReadable();
        synchronized (receivers) {
            CompletableFuture<byte[]> pending;
            synchronized (state) {
                if (ended) {
                    throw endOfStream();
                }
                pending = outstanding();
            }
            byte[] message;
            try {
                message = pending.get();
            } catch (InterruptedException e) {
                // The get stays outstanding: its message goes to the next receive.
                Thread.currentThread().interrupt();
                throw new MultiprocessException("interrupted while receiving from a pipe", e);
            } catch (ExecutionException e) {
                taken(pending);
                throw e.getCause() instanceof RuntimeException runtime ? runtime
                        : new MultiprocessException(e.getCause().toString(), e.getCause());
            }
            synchronized (state) {
                taken(pending);
                if (message == null) {
                    throw new IllegalStateException("this connection was closed while receiving");
                }
                if (message == Mailbox.END) {
                    ended = true;
                    throw endOfStream();
                }
            }
            return message;
        }
    }

    private void taken(CompletableFuture<byte[]> pending) {
        synchronized (state) {
            if (next == pending) {
                next = null;
            }
        }
    }

    private CompletableFuture<byte[]> outstanding() {
        if (next == null) {
            next = end.inbound().get(-1);
        }
        return next;
    }

    private void withdrawOutstanding() {
        CompletableFuture<byte[]> pending = next;
        if (pending == null) {
            return;
        }
        next = null;
        if (!end.inbound().withdraw(pending)) {
            byte[] message = pending.getNow(null);
            if (message != null && message != Mailbox.END) {
                end.inbound().putBack(message);
            }
        }
    }

    private void sendReduced(byte[] message) {
        CompletableFuture<Boolean> put = end.outbound().put(message, -1);
        MailboxAccess.await(put, () -> end.outbound().withdrawPut(put));
    }

    private void requireReadable() {
        requireOpen();
        if (!readable()) {
            throw new IllegalStateException("this end of a one-way pipe only sends; receive on the other end");
        }
    }

    private void requireWritable() {
        requireOpen();
        if (!writable()) {
            throw new IllegalStateException("this end of a one-way pipe only receives; send on the other end");
        }
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("this connection is closed");
        }
    }

    private static EndOfStreamException endOfStream() {
        return new EndOfStreamException("the other end of the pipe was closed and every message it sent has "
                + "been received");
    }

    private static long mailboxId(MailboxAccess access) {
        return access == null ? 0 : access.mailboxId();
    }

    /** How a pipe end travels. */
    record PipeToken(HostAddress host, long endId, long inboundId, long outboundId, String reducer)
            implements HandleToken {

        @Override
        public SharedHandle resolve() {
            return new PipeConnection(PipeEndRef.attach(host, endId, inboundId, outboundId),
                    Messages.reducer(reducer));
        }
    }
}
