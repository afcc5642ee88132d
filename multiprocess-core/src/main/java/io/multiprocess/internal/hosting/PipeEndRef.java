package io.multiprocess.internal.hosting;

import io.multiprocess.internal.transport.FrameTypes;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A pipe end as seen by one handle: its mailboxes (null for a direction it lacks) and the bookkeeping that tells
 * the host when the end is no longer held anywhere, done directly in the hosting process and by one-way notices
 * from any other.
 */
public final class PipeEndRef {

    private final HostAddress host;
    private final long endId;
    private final MailboxAccess inbound;
    private final MailboxAccess outbound;
    private final PipeEnd local;
    private final AtomicBoolean detached = new AtomicBoolean();

    private PipeEndRef(HostAddress host, long endId, MailboxAccess inbound, MailboxAccess outbound, PipeEnd local) {
        this.host = host;
        this.endId = endId;
        this.inbound = inbound;
        this.outbound = outbound;
        this.local = local;
    }

    /**
     * A new pipe hosted by this process: two ends, each reading what the other writes; if not {@code duplex}, the
     * first end only reads and the second only writes.
     */
    public static PipeEndRef[] newPipe(boolean duplex) {
        Mailbox toFirst = ObjectHost.newPipeMailbox();
        Mailbox toSecond = duplex ? ObjectHost.newPipeMailbox() : null;
        PipeEnd first = ObjectHost.newPipeEnd(toFirst, toSecond);
        PipeEnd second = ObjectHost.newPipeEnd(toSecond, toFirst);
        PipeEnd.pair(first, second);
        return new PipeEndRef[] {local(first), local(second)};
    }

    /** A new handle on the end {@code endId} hosted by {@code host}, counted there as one more holder. */
    public static PipeEndRef attach(HostAddress host, long endId, long inboundId, long outboundId) {
        if (host.isThisProcess()) {
            PipeEnd end = ObjectHost.pipeEnd(endId);
            end.attachLocal();
            return local(end);
        }
        PipeEndRef ref = new PipeEndRef(host, endId,
                inboundId == 0 ? null : new MailboxAccess.Remote(host, inboundId, 0),
                outboundId == 0 ? null : new MailboxAccess.Remote(host, outboundId, 0), null);
        ref.notifyHost(FrameTypes.Host.ATTACH);
        return ref;
    }

    private static PipeEndRef local(PipeEnd end) {
        return new PipeEndRef(null, end.id(), end.inbound() == null ? null : new MailboxAccess.Local(end.inbound()),
                end.outbound() == null ? null : new MailboxAccess.Local(end.outbound()), end);
    }

    /** Where the end lives, for a token: in the hosting process this makes it reachable from others. */
    public HostAddress publish() {
        return host != null ? host : ObjectHost.publish(local);
    }

    /** The pid of the process hosting the pipe. */
    public long hostPid() {
        return host != null ? host.pid() : ProcessHandle.current().pid();
    }

    public long endId() {
        return endId;
    }

    /** Where this end reads from; null if it cannot. */
    public MailboxAccess inbound() {
        return inbound;
    }

    /** Where this end writes to; null if it cannot. */
    public MailboxAccess outbound() {
        return outbound;
    }

    /** A copy of this handle is being sent: it holds the end until someone receives it. */
    public void markInTransit() {
        if (local != null) {
            local.inTransit();
        } else {
            HostClient.of(host).pipeEnd(FrameTypes.Host.IN_TRANSIT, endId);
        }
    }

    /** This handle is closed (or collected): it no longer holds the end. Runs once. */
    public void detach() {
        if (!detached.compareAndSet(false, true)) {
            return;
        }
        if (local != null) {
            local.detachLocal();
            return;
        }
        notifyHost(FrameTypes.Host.DETACH);
    }

    private void notifyHost(byte op) {
        try {
            HostClient.of(host).pipeEnd(op, endId);
        } catch (RuntimeException e) {
            // The host is gone, and the pipe with it: every use of this end will say so.
        }
    }
}
