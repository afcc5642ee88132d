package io.multiprocess.internal.hosting;

import java.util.HashMap;
import java.util.Map;

/**
 * One end of a pipe, in the process hosting the pipe: its two mailboxes (null for the missing direction of a
 * one-way pipe) and a count of the handles on it, in every process.
 *
 * <p>As with a file descriptor in Python, the other end sees the end of the stream only when every handle is
 * closed: those in this process, those held by other processes (dropped when their process disconnects), and
 * copies still travelling inside a message.
 */
public final class PipeEnd {

    private final long id;
    private final Mailbox inbound;
    private final Mailbox outbound;
    private final Map<Object, Integer> holders = new HashMap<>();
    private PipeEnd peer;
    private int inTransit;
    private boolean closed;

    /** Handles in the hosting process share this key. */
    private static final Object LOCAL = new Object();

    PipeEnd(long id, Mailbox inbound, Mailbox outbound) {
        this.id = id;
        this.inbound = inbound;
        this.outbound = outbound;
        holders.put(LOCAL, 1);
    }

    public long id() {
        return id;
    }

    static void pair(PipeEnd first, PipeEnd second) {
        first.peer = second;
        second.peer = first;
    }

    public Mailbox inbound() {
        return inbound;
    }

    public Mailbox outbound() {
        return outbound;
    }

    /** A handle in this process was created (from a token that came back here). */
    public void attachLocal() {
        attach(LOCAL);
    }

    /** A handle in this process was closed or collected. */
    public void detachLocal() {
        detach(LOCAL);
    }

    /** A copy of a handle was reduced into a message: it counts until someone receives it. */
    public synchronized void inTransit() {
        inTransit++;
    }

    synchronized void attach(Object holder) {
        // A receiver may attach before the sender's in-transit notice arrives: the count may dip below zero.
        inTransit--;
        holders.merge(holder, 1, Integer::sum);
    }

    void detach(Object holder) {
        synchronized (this) {
            Integer count = holders.get(holder);
            if (count == null) {
                return;
            }
            if (count <= 1) {
                holders.remove(holder);
            } else {
                holders.put(holder, count - 1);
            }
            if (!shouldClose()) {
                return;
            }
            closed = true;
        }
        closeMailboxes();
    }

    /** Everything a disconnected process held is released. */
    void detachAll(Object holder) {
        synchronized (this) {
            if (holders.remove(holder) == null || !shouldClose()) {
                return;
            }
            closed = true;
        }
        closeMailboxes();
    }

    private boolean shouldClose() {
        return !closed && holders.isEmpty() && inTransit <= 0;
    }

    private void closeMailboxes() {
        if (outbound != null) {
            outbound.closeWriting();
        }
        if (inbound != null) {
            inbound.closeReading();
        }
        if (peer.isClosed()) {
            ObjectHost.forget(this, peer);
        }
    }

    synchronized boolean isClosed() {
        return closed;
    }
}
