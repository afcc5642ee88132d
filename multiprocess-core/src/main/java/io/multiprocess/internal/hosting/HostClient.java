package io.multiprocess.internal.hosting;

import io.multiprocess.errors.MultiprocessException;
import io.multiprocess.internal.CurrentProcess;
import io.multiprocess.internal.MpLogger;
import io.multiprocess.internal.transport.Authentication;
import io.multiprocess.internal.transport.FrameChannel;
import io.multiprocess.internal.transport.FrameTypes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * This process's one connection to another process's {@link ObjectHost}, shared by every handle on objects hosted
 * there: requests go out in the order they are made, replies come back on a reader thread and complete their
 * futures.
 */
public final class HostClient {

    private static final Logger LOG = MpLogger.of(HostClient.class);
    private static final Map<HostAddress, HostClient> CLIENTS = new ConcurrentHashMap<>();

    private final HostAddress host;
    private final HostLink link;
    private final AtomicLong requestIds = new AtomicLong();
    private final Map<Long, CompletableFuture<HostFrame>> pending = new ConcurrentHashMap<>();
    private final Map<Long, String> oneWayFailures = new ConcurrentHashMap<>();
    private volatile Throwable broken;

    private HostClient(HostAddress host) throws IOException {
        this.host = host;
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            channel.connect(UnixDomainSocketAddress.of(Path.of(host.socket())));
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        FrameChannel connection = HostLink.open(channel);
        try {
            Authentication.authenticateAsClient(connection, CurrentProcess.authkey());
        } catch (IOException | RuntimeException e) {
            HostSession.closeQuietly(connection);
            throw e;
        }
        link = new HostLink(connection);
        Thread reader = new Thread(this::readReplies, "multiprocess-host-client-" + host.pid());
        reader.setDaemon(true);
        reader.start();
    }

    /** The connection to {@code host}, opened on first use. */
    public static HostClient of(HostAddress host) {
        HostClient client = CLIENTS.get(host);
        if (client != null && client.broken == null) {
            return client;
        }
        synchronized (CLIENTS) {
            client = CLIENTS.get(host);
            if (client == null || client.broken != null) {
                try {
                    client = new HostClient(host);
                } catch (java.io.InterruptedIOException e) {
                    throw new MultiprocessException("interrupted while connecting to process " + host.pid()
                            + ", which hosts this queue or pipe", e);
                } catch (IOException e) {
                    throw gone(host, e);
                }
                CLIENTS.put(host, client);
            }
            return client;
        }
    }

    public HostAddress host() {
        return host;
    }

    CompletableFuture<byte[]> get(long mailboxId, long timeoutNanos) {
        long id = requestIds.incrementAndGet();
        RemoteRequest<byte[]> getter = new RemoteRequest<>(id);
        request(id, FrameTypes.Host.GET, mailboxId, timeoutNanos, new byte[0]).whenComplete((reply, error) -> {
            if (error != null) {
                getter.completeExceptionally(error);
            } else {
                getter.complete(switch (reply.code()) {
                    case FrameTypes.Host.ITEM -> reply.payload();
                    case FrameTypes.Host.END -> Mailbox.END;
                    default -> null;
                });
            }
        });
        return getter;
    }

    CompletableFuture<Boolean> put(long mailboxId, byte[] item, long timeoutNanos) {
        throwOneWayFailure(mailboxId);
        long id = requestIds.incrementAndGet();
        RemoteRequest<Boolean> put = new RemoteRequest<>(id);
        request(id, FrameTypes.Host.PUT, mailboxId, timeoutNanos, item).whenComplete((reply, error) -> {
            if (error != null) {
                put.completeExceptionally(error);
            } else {
                put.complete(reply.payload()[0] == 1);
            }
        });
        return put;
    }

    /**
     * Asks the host to withdraw a get or put still waiting there, then waits for its answer; returns whether it was
     * withdrawn, i.e. it completed with {@code withdrawnResult} (or the host is gone).
     */
    <T> boolean withdraw(long mailboxId, CompletableFuture<T> request, T withdrawnResult) {
        if (request instanceof RemoteRequest<T> remote && !request.isDone()) {
            oneWay(FrameTypes.Host.WITHDRAW, mailboxId, ByteBuffer.allocate(8).putLong(remote.requestId).array());
        }
        try {
            return java.util.Objects.equals(request.join(), withdrawnResult);
        } catch (RuntimeException e) {
            return true;
        }
    }

    /** A get or put whose host request can be named when withdrawing it. */
    private static final class RemoteRequest<T> extends CompletableFuture<T> {

        private final long requestId;

        RemoteRequest(long requestId) {
            this.requestId = requestId;
        }
    }

    void putOneWay(long mailboxId, byte[] item) {
        throwOneWayFailure(mailboxId);
        send(HostFrame.request(FrameTypes.Host.PUT_ONE_WAY, requestIds.incrementAndGet(), mailboxId, -1, item));
    }

    void putBack(long mailboxId, byte[] item) {
        oneWay(FrameTypes.Host.PUT_BACK, mailboxId, item);
    }

    CompletableFuture<Integer> size(long mailboxId) {
        return request(FrameTypes.Host.SIZE, mailboxId, 0, new byte[0]).thenApply(HostFrame::payloadInt);
    }

    CompletableFuture<HostFrame> taskDone(long mailboxId) {
        return request(FrameTypes.Host.TASK_DONE, mailboxId, 0, new byte[0]);
    }

    CompletableFuture<Boolean> join(long mailboxId, long timeoutNanos) {
        return request(FrameTypes.Host.JOIN, mailboxId, timeoutNanos, new byte[0]).thenApply(r -> r.payload()[0] == 1);
    }

    /** Tells the host about a pipe end: {@code ATTACH}, {@code DETACH} or {@code IN_TRANSIT}. */
    void pipeEnd(byte op, long endId) {
        oneWay(op, endId, new byte[0]);
    }

    private void oneWay(byte op, long objectId, byte[] payload) {
        send(HostFrame.request(op, requestIds.incrementAndGet(), objectId, -1, payload));
    }

    private CompletableFuture<HostFrame> request(byte op, long objectId, long timeoutNanos, byte[] payload) {
        return request(requestIds.incrementAndGet(), op, objectId, timeoutNanos, payload);
    }

    private CompletableFuture<HostFrame> request(long id, byte op, long objectId, long timeoutNanos,
            byte[] payload) {
        CompletableFuture<HostFrame> reply = new CompletableFuture<>();
        pending.put(id, reply);
        if (broken != null) {
            pending.remove(id);
            return CompletableFuture.failedFuture(gone(host, broken));
        }
        send(HostFrame.request(op, id, objectId, timeoutNanos, payload));
        return reply.thenApply(HostClient::throwIfFailed);
    }

    private void send(HostFrame frame) {
        try {
            link.sendRequest(frame);
        } catch (IOException e) {
            fail(e);
            throw gone(host, e);
        }
    }

    private void readReplies() {
        try {
            while (true) {
                HostFrame reply = link.receiveReply();
                CompletableFuture<HostFrame> waiting = pending.remove(reply.requestId());
                if (waiting != null) {
                    waiting.complete(reply);
                } else if (reply.code() == FrameTypes.Host.FAILED) {
                    // A one-way put failed (e.g. a pipe whose reader closed): the next put on it reports it.
                    oneWayFailures.put(reply.objectId(), reply.payloadText());
                }
            }
        } catch (IOException | RuntimeException e) {
            fail(e);
        }
    }

    private void fail(Throwable cause) {
        if (broken != null) {
            return;
        }
        broken = cause;
        LOG.debug("lost the connection to process {}: {}", host.pid(), cause.toString());
        HostSession.closeQuietly(link);
        for (Long id : pending.keySet()) {
            CompletableFuture<HostFrame> waiting = pending.remove(id);
            if (waiting != null) {
                waiting.completeExceptionally(gone(host, cause));
            }
        }
    }

    private void throwOneWayFailure(long mailboxId) {
        String failure = oneWayFailures.get(mailboxId);
        if (failure != null) {
            throw rebuild(failure);
        }
    }

    private static HostFrame throwIfFailed(HostFrame reply) {
        if (reply.code() == FrameTypes.Host.FAILED) {
            throw rebuild(reply.payloadText());
        }
        return reply;
    }

    /** The host's exception, as the same kind of exception here. */
    private static RuntimeException rebuild(String failure) {
        int colon = failure.indexOf(": ");
        String type = colon > 0 ? failure.substring(0, colon) : "";
        String message = colon > 0 ? failure.substring(colon + 2) : failure;
        if (type.equals(IllegalStateException.class.getName())) {
            return new IllegalStateException(message);
        }
        if (type.equals(UncheckedIOException.class.getName())) {
            int inner = message.indexOf(": ");
            return new UncheckedIOException(new IOException(inner > 0 ? message.substring(inner + 2) : message));
        }
        return new MultiprocessException(failure);
    }

    private static MultiprocessException gone(HostAddress host, Throwable cause) {
        return new MultiprocessException("cannot reach process " + host.pid() + ", which hosts this queue or pipe"
                + " (it created it): it has exited, or its socket " + host.socket() + " is gone. Queues and pipes live"
                + " as long as the process that created them.", cause);
    }
}
