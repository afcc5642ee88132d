package io.multiprocess.internal.hosting;

import io.multiprocess.diagnostics.AcceptorStats;
import io.multiprocess.internal.CurrentProcess;
import io.multiprocess.internal.transport.Acceptor;
import io.multiprocess.internal.transport.FrameChannel;
import io.multiprocess.internal.transport.RuntimeDirectory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * This JVM's host for the queues and pipes it created: a registry of {@link Mailbox}es and {@link PipeEnd}s, and,
 * once one of them is sent to another process, a UNIX socket where other processes reach them.
 *
 * <p>Why a host: the JVM cannot pass file descriptors between processes, so a queue cannot be an OS pipe shared by
 * every process as in Python. It lives in its creator instead, and every other process holding it talks to the
 * creator over one authenticated connection ({@link HostClient}); see docs/architecture.md.
 *
 * <p>The socket is in the private {@link RuntimeDirectory}, and each connection must pass the authkey challenge
 * (the current process's authkey, which children inherit) before a single byte of it is deserialized. The shared
 * {@link Acceptor} runs the challenge (10 s at most); a connection gets its session thread once it has passed.
 */
public final class ObjectHost {

    private static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);
    /**
     * Bytes of unread messages a pipe holds before a sender waits, as an OS pipe's capacity does; one message is
     * always let in, however large. 4 MiB rather than 1: with room for only one 1 MiB message, sender and reader
     * took turns instead of working at once (6.1 GB/s of 1 MiB messages, 8.9 GB/s with 4 MiB, in one run).
     */
    public static final long PIPE_CAPACITY = 4 << 20;
    private static final AtomicLong IDS = new AtomicLong();
    private static final Map<Long, Mailbox> MAILBOXES = new ConcurrentHashMap<>();
    private static final Map<Long, PipeEnd> ENDS = new ConcurrentHashMap<>();
    private static volatile ObjectHost server;

    private final HostAddress address;
    private final ServerSocketChannel channel;
    private final Acceptor.Endpoint endpoint;

    private ObjectHost() throws IOException {
        Path socket = RuntimeDirectory.get().resolve("objects.sock");
        channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            channel.bind(UnixDomainSocketAddress.of(socket));
            RuntimeDirectory.ownerOnly(socket);
            endpoint = Acceptor.listen("the socket of this process's queues and pipes " + socket, channel,
                    () -> CurrentProcess.authkey(), () -> HANDSHAKE_TIMEOUT, (accepted, peer) -> {
                        FrameChannel connection = HostLink.open(accepted);
                        Thread session = new Thread(() -> new HostSession(new HostLink(connection)).run(),
                                "multiprocess-host-session");
                        session.setDaemon(true);
                        session.start();
                        return true;
                    });
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        address = new HostAddress(socket.toString(), ProcessHandle.current().pid());
    }

    /**
     * A new mailbox hosted by this process. Until it is {@linkplain #publish(Mailbox) published} only its local
     * handles refer to it, so it is garbage once they are.
     */
    public static Mailbox newMailbox(int maxsize) {
        return new Mailbox(IDS.incrementAndGet(), maxsize, Long.MAX_VALUE);
    }

    /** A new mailbox for one direction of a pipe: it holds at most {@link #PIPE_CAPACITY} bytes of waiting messages. */
    static Mailbox newPipeMailbox() {
        return new Mailbox(IDS.incrementAndGet(), 0, PIPE_CAPACITY);
    }

    /** A new pipe end hosted by this process, held once (by its creator). */
    static PipeEnd newPipeEnd(Mailbox inbound, Mailbox outbound) {
        return new PipeEnd(IDS.incrementAndGet(), inbound, outbound);
    }

    /**
     * Makes {@code mailbox} reachable from other processes, for as long as this process runs: a handle on it is
     * being sent, and its receivers may use it at any time.
     */
    public static HostAddress publish(Mailbox mailbox) {
        MAILBOXES.putIfAbsent(mailbox.id(), mailbox);
        return address();
    }

    /** Makes a pipe end and its mailboxes reachable from other processes until the pipe is closed at both ends. */
    static HostAddress publish(PipeEnd end) {
        ENDS.putIfAbsent(end.id(), end);
        for (Mailbox mailbox : new Mailbox[] {end.inbound(), end.outbound()}) {
            if (mailbox != null) {
                MAILBOXES.putIfAbsent(mailbox.id(), mailbox);
            }
        }
        return address();
    }

    /** Both ends of a pipe are closed everywhere: nothing can reach it any more. */
    static void forget(PipeEnd end, PipeEnd peer) {
        for (PipeEnd closed : new PipeEnd[] {end, peer}) {
            ENDS.remove(closed.id());
            if (closed.inbound() != null) {
                MAILBOXES.remove(closed.inbound().id());
            }
        }
    }

    static Mailbox mailbox(long id) {
        Mailbox mailbox = MAILBOXES.get(id);
        if (mailbox == null) {
            throw new IllegalStateException("process " + ProcessHandle.current().pid() + " hosts no queue or pipe "
                    + "with id " + id);
        }
        return mailbox;
    }

    static PipeEnd pipeEnd(long id) {
        PipeEnd end = ENDS.get(id);
        if (end == null) {
            throw new IllegalStateException("process " + ProcessHandle.current().pid() + " hosts no pipe end "
                    + "with id " + id);
        }
        return end;
    }

    /** Where other processes reach this one's objects; starts listening on first use. */
    public static HostAddress address() {
        ObjectHost s = server;
        if (s == null) {
            synchronized (ObjectHost.class) {
                s = server;
                if (s == null) {
                    try {
                        s = new ObjectHost();
                    } catch (IOException e) {
                        throw new UncheckedIOException("cannot open the socket through which other processes "
                                + "reach this process's queues and pipes, in " + RuntimeDirectory.get(), e);
                    }
                    server = s;
                }
            }
        }
        return s.address;
    }

    /**
     * What the acceptor of this process's host socket has done so far, or null if no queue or pipe of this process
     * was ever sent to another.
     */
    public static AcceptorStats acceptorStats() {
        ObjectHost s = server;
        return s == null ? null : s.endpoint.stats();
    }
}
