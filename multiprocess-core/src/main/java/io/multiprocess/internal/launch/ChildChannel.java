package io.multiprocess.internal.launch;

import io.multiprocess.internal.LibraryThreads;
import io.multiprocess.internal.logging.LogRelay;
import io.multiprocess.internal.transport.Authentication;
import io.multiprocess.internal.transport.FrameChannel;
import io.multiprocess.internal.transport.FrameCodec;
import io.multiprocess.internal.transport.FrameTypes;
import io.multiprocess.internal.transport.RuntimeDirectory;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Supplier;

/**
 * The child's end of the control channel: reads the handshake key from stdin, connects to the parent,
 * authenticates, and then reports how the child gets on. When the parent goes away the channel reaches EOF,
 * which is how a child learns it is orphaned (reliable even when the parent is SIGKILLed).
 */
public final class ChildChannel {

    private static volatile ChildChannel current;

    private final FrameChannel connection;
    private final BlockingQueue<byte[]> inbox = new LinkedBlockingQueue<>();
    private volatile Supplier<byte[]> threadDumpAnswer;

    private ChildChannel(FrameChannel connection) {
        this.connection = connection;
    }

    /**
     * The channel of this child JVM, for code running in it that talks to the parent (a pool worker).
     *
     * @throws IllegalStateException in a JVM that was not started as a child
     */
    public static ChildChannel current() {
        ChildChannel channel = current;
        if (channel == null) {
            throw new IllegalStateException("this JVM was not started as a child process, so it has no channel to "
                    + "a parent");
        }
        return channel;
    }

    /** Reads the key the parent wrote to this JVM's stdin. */
    public static byte[] readAuthkey(InputStream stdin) throws IOException {
        DataInputStream in = new DataInputStream(stdin);
        int length = in.readInt();
        if (length < 0 || length > Authentication.MAX_UNAUTHENTICATED_MESSAGE) {
            throw new IOException("stdin did not start with an authkey; this class is started by the parent JVM");
        }
        byte[] key = new byte[length];
        in.readFully(key);
        return key;
    }

    /**
     * Authenticates two ends of a UNIX-domain socket in this JVM against each other, as a child and its parent
     * do: loads and links everything the real handshake uses (for a startup archive's training run).
     */
    public static void rehearseHandshake() throws IOException {
        Path address = RuntimeDirectory.get().resolve("rehearsal.sock");
        byte[] key = new byte[32];
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(address));
            SocketChannel client = SocketChannel.open(StandardProtocolFamily.UNIX);
            client.connect(UnixDomainSocketAddress.of(address));
            try (FrameChannel accepted = new FrameChannel(server.accept()); FrameChannel connecting = new FrameChannel(client)) {
                Thread serverSide = new Thread(() -> {
                    try {
                        Authentication.authenticateAsServer(accepted, key);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
                serverSide.start();
                Authentication.authenticateAsClient(connecting, key);
                serverSide.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        } finally {
            Files.deleteIfExists(address);
        }
    }

    /** Connects to the parent's control socket, authenticates both ways, and says which process this is. */
    public static ChildChannel connect(Path socket, byte[] authkey) throws IOException {
        SocketChannel socketChannel = SocketChannel.open(StandardProtocolFamily.UNIX);
        socketChannel.connect(UnixDomainSocketAddress.of(socket));
        FrameChannel connection = new FrameChannel(socketChannel);
        Authentication.authenticateAsClient(connection, authkey);
        connection.sendBytes(FrameCodec.frame(FrameTypes.Control.HELLO, 8).putLong(ProcessHandle.current().pid())
                .toBytes());
        ChildChannel channel = new ChildChannel(connection);
        current = channel;
        return channel;
    }

    public void sendReady() throws IOException {
        connection.sendBytes(FrameCodec.bare(FrameTypes.Control.READY));
    }

    /** Waits for the process to become. */
    public RunRequest awaitRun() throws IOException {
        byte[] message = connection.recvBytes();
        return RunRequest.decode(message);
    }

    /** Tells the parent the process object is loaded and its run() begins. */
    public void sendStarted() {
        sendQuietly(FrameCodec.bare(FrameTypes.Control.STARTED));
    }

    /** Tells the parent the exit that follows is caused by this signal. */
    public void sendSignaled(int signal) {
        sendQuietly(FrameCodec.frame(FrameTypes.Control.SIGNALED, 4).putInt(signal).toBytes());
    }

    /** Tells the parent the exit that follows is orderly, so its status is an exit code. */
    public void sendExiting() {
        sendQuietly(FrameCodec.bare(FrameTypes.Control.EXITING));
    }

    /** Sends a message to the parent. */
    public void send(byte[] message) throws IOException {
        connection.sendBytes(message);
    }

    /**
     * Has the reader thread answer the parent's THREAD_DUMP requests with {@code answer}'s message, while the
     * thread that runs the work goes on (or is stuck): the parent asks before it kills a runaway task's worker.
     */
    public void answerThreadDumps(Supplier<byte[]> answer) {
        this.threadDumpAnswer = answer;
    }

    /** Waits for the next message from the parent after RUN (delivered by {@link #parentWatcher}). */
    public byte[] receive() throws InterruptedException {
        return inbox.take();
    }

    /**
     * A daemon thread, not yet started, that reads the channel until EOF and then calls {@code onParentGone}.
     * Start it once RUN is received; messages that arrive after RUN are kept for {@link #receive()}.
     */
    public Thread parentWatcher(Runnable onParentGone) {
        return LibraryThreads.daemon("multiprocess-parent-watcher", () -> {
            try {
                while (true) {
                    byte[] message = connection.recvBytes();
                    if (message.length > 0 && message[0] == FrameTypes.Pool.THREAD_DUMP) {
                        answerThreadDump();
                    } else if (message.length > 0 && message[0] == FrameTypes.Control.LEVEL) {
                        LogRelay.answer(message);
                    } else if (message.length > 0) {
                        inbox.add(message);
                    }
                }
            } catch (IOException e) {
                onParentGone.run();
            } catch (Throwable e) {
                // A channel this JVM can no longer read leaves it unreachable for its parent: end it, so the parent
                // sees an exit (and replaces a pool worker) instead of waiting for an answer forever.
                System.err.println("multiprocess: reading the control channel failed, exiting: " + e);
                onParentGone.run();
            }
        });
    }

    private void answerThreadDump() {
        Supplier<byte[]> answer = threadDumpAnswer;
        if (answer == null) {
            return;
        }
        try {
            connection.sendBytes(answer.get());
        } catch (IOException e) {
            // The parent is gone; the watcher sees the channel close next.
        } catch (RuntimeException | LinkageError e) {
            System.err.println("multiprocess: could not take a thread dump for the parent: " + e);
        }
    }

    private void sendQuietly(byte[] message) {
        try {
            connection.sendBytes(message);
        } catch (IOException e) {
            // The parent is gone; nobody is left to tell.
        }
    }
}
