package io.multiprocess.internal.hosting;

import io.multiprocess.internal.MpLogger;
import io.multiprocess.internal.transport.FrameTypes;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;

/**
 * One authenticated process connected to this JVM's {@link ObjectHost}: reads its requests in order (so one
 * producer's puts keep their order), serves them from the mailboxes, and replies whenever an operation completes
 * (a get may wait for a message; other requests on the connection go on meanwhile).
 *
 * <p>When the process disconnects (it exited or was killed), its waiting gets are withdrawn, a message already
 * handed to it but not delivered is put back, and the pipe ends it held are released.
 */
final class HostSession {

    private static final Logger LOG = MpLogger.of(HostSession.class);

    private final HostLink link;
    /** How to withdraw each get or put of this process that still waits, by request id. */
    private final Map<Long, Runnable> waiting = new ConcurrentHashMap<>();
    private final Set<PipeEnd> heldEnds = new HashSet<>();

    HostSession(HostLink link) {
        this.link = link;
    }

    void run() {
        try {
            while (true) {
                serve(link.receiveRequest());
            }
        } catch (EOFException e) {
            // The process disconnected: the usual end.
        } catch (IOException | RuntimeException e) {
            LOG.debug("a connection to the object host broke: {}", e.toString());
        } finally {
            closeQuietly(link);
            release();
        }
    }

    private void serve(HostFrame request) {
        long id = request.requestId();
        long objectId = request.objectId();
        try {
            switch (request.code()) {
                case FrameTypes.Host.GET -> get(ObjectHost.mailbox(objectId), id, request.timeoutNanos());
                case FrameTypes.Host.PUT -> put(ObjectHost.mailbox(objectId), id, request);
                case FrameTypes.Host.PUT_ONE_WAY -> {
                    CompletableFuture<Boolean> put = ObjectHost.mailbox(objectId).put(request.payload(), -1);
                    put.whenComplete((accepted, error) -> {
                        if (error != null) {
                            reply(id, objectId, error, null);
                        }
                    });
                    // A pipe that is full: stop reading this process's frames until there is room, so the sender
                    // waits (its socket fills) as it would on a full OS pipe, and its frames keep their order.
                    awaitQuietly(put);
                }
                case FrameTypes.Host.PUT_BACK -> ObjectHost.mailbox(objectId).putBackFirst(request.payload());
                case FrameTypes.Host.SIZE -> send(HostFrame.reply(FrameTypes.Host.OK, id, objectId,
                        HostFrame.intPayload(ObjectHost.mailbox(objectId).size())));
                case FrameTypes.Host.TASK_DONE -> {
                    ObjectHost.mailbox(objectId).taskDone();
                    send(HostFrame.reply(FrameTypes.Host.OK, id, objectId, new byte[0]));
                }
                case FrameTypes.Host.JOIN -> ObjectHost.mailbox(objectId).join(request.timeoutNanos())
                        .whenComplete((done, error) -> reply(id, objectId, error,
                                () -> HostFrame.reply(FrameTypes.Host.OK, id, objectId, new byte[] {(byte) (done ? 1 : 0)})));
                case FrameTypes.Host.WITHDRAW -> {
                    Runnable withdrawal = waiting.get(ByteBuffer.wrap(request.payload()).getLong());
                    if (withdrawal != null) {
                        // Completes the get or put as timed out if it still waits; its reply tells the client.
                        withdrawal.run();
                    }
                }
                case FrameTypes.Host.ATTACH -> {
                    PipeEnd end = ObjectHost.pipeEnd(objectId);
                    end.attach(this);
                    synchronized (heldEnds) {
                        heldEnds.add(end);
                    }
                }
                case FrameTypes.Host.DETACH -> ObjectHost.pipeEnd(objectId).detach(this);
                case FrameTypes.Host.IN_TRANSIT -> ObjectHost.pipeEnd(objectId).inTransit();
                default -> throw new IllegalArgumentException("unknown request " + request.code());
            }
        } catch (RuntimeException e) {
            reply(id, objectId, e, null);
        }
    }

    private void get(Mailbox mailbox, long id, long timeoutNanos) {
        CompletableFuture<byte[]> getter = mailbox.get(timeoutNanos);
        waiting.put(id, () -> mailbox.withdraw(getter));
        getter.whenComplete((item, error) -> {
            waiting.remove(id);
            HostFrame frame = item == null ? HostFrame.reply(FrameTypes.Host.TIMED_OUT, id, mailbox.id(), new byte[0])
                    : item == Mailbox.END ? HostFrame.reply(FrameTypes.Host.END, id, mailbox.id(), new byte[0])
                    : HostFrame.reply(FrameTypes.Host.ITEM, id, mailbox.id(), item);
            if (item == null || item == Mailbox.END) {
                send(frame);
            } else if (send(frame)) {
                // Written out whole: the message is the other process's now, and this array is garbage.
                SpareArrays.give(item);
            } else {
                // The process is gone before it got the message: nobody received it, so it goes back.
                mailbox.putBackFirst(item);
            }
        });
    }

    private static void awaitQuietly(CompletableFuture<?> operation) {
        try {
            operation.join();
        } catch (RuntimeException e) {
            // Reported to the sender by the completion above.
        }
    }

    private void put(Mailbox mailbox, long id, HostFrame request) {
        CompletableFuture<Boolean> put = mailbox.put(request.payload(), request.timeoutNanos());
        waiting.put(id, () -> mailbox.withdrawPut(put));
        put.whenComplete((accepted, error) -> {
            waiting.remove(id);
            reply(id, request.objectId(), error, () -> HostFrame.reply(FrameTypes.Host.OK, id, request.objectId(),
                    new byte[] {(byte) (Boolean.TRUE.equals(accepted) ? 1 : 0)}));
        });
    }

    private void reply(long id, long objectId, Throwable error, java.util.function.Supplier<HostFrame> success) {
        if (error == null) {
            send(success.get());
            return;
        }
        Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                ? error.getCause() : error;
        send(HostFrame.failure(id, objectId, cause.getClass().getName() + ": " + cause.getMessage()));
    }

    private boolean send(HostFrame frame) {
        try {
            link.sendReply(frame);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private void release() {
        waiting.values().forEach(Runnable::run);
        Set<PipeEnd> ends;
        synchronized (heldEnds) {
            ends = new HashSet<>(heldEnds);
        }
        ends.forEach(end -> end.detachAll(this));
    }

    static void closeQuietly(java.io.Closeable connection) {
        try {
            connection.close();
        } catch (IOException e) {
            // Nothing to do: the peer is being dropped.
        }
    }
}
