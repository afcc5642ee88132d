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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * The child's end of the control channel: reads the handshake key from stdin, connects to the parent,
 * authenticates, and then reports how the child gets on. When the parent goes away the channel reaches EOF,
 * which is how a child learns it is orphaned (reliable even when the parent is SIGKILLed).
 *
 * <p>After RUN the channel is read by one thread at a time. Between two tasks a pool worker's task thread reads it
 * itself ({@link #receive()}): a task goes from the socket to the thread that runs it, with no hand-off. While
 * a task runs, nobody reads, until it has run {@value #WATCH_AFTER_MILLIS} ms (or code waits for an answer of the
 * parent, {@link #readSoon()}): then the parent watcher takes over, so a long task's worker still answers thread
 * dumps and log levels and learns at once that its parent is gone. In a process that is no pool worker the
 * watcher takes over after the same delay and keeps reading.
 */
public final class ChildChannel implements LogRelay.AnswerReader {

    /** How long a task runs before the watcher reads for it; also how often the watcher looks. */
    static final long WATCH_AFTER_MILLIS = 50;
    /** The task thread reads, or is about to: between tasks. */
    private static final int TASK_THREAD_READS = 0;
    /** Nobody reads: the task thread runs a task (or the process's target) that began at {@link #runningSince}. */
    private static final int TASK_RUNS = 1;
    /** The watcher reads, and hands what is not for it to the task thread through {@link #inbox}. */
    private static final int WATCHER_READS = 2;

    private static volatile ChildChannel current;

    private final FrameChannel connection;
    /** Messages the watcher read for the task thread, in the order they came, before any still in the socket. */
    private final BlockingQueue<byte[]> inbox = new LinkedBlockingQueue<>();
    private final AtomicInteger reader = new AtomicInteger(TASK_RUNS);
    private volatile long runningSince = System.nanoTime();
    private volatile boolean answerWanted;
    private volatile Thread watcher;
    /** The thread that calls {@link #receive()}: a pool worker's. */
    private volatile Thread taskThread;
    private volatile Runnable onParentGone = () -> { };
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
     * Has the channel's reader answer the parent's THREAD_DUMP requests with {@code answer}'s message, while the
     * thread that runs the work goes on (or is stuck): the parent asks before it kills a runaway task's worker.
     */
    public void answerThreadDumps(Supplier<byte[]> answer) {
        this.threadDumpAnswer = answer;
    }

    /**
     * The next message from the parent after RUN, for the task thread of a pool worker, between two tasks: read
     * from the socket on this thread, unless the watcher is reading (a long task just ended), which then hands it
     * over. Answers thread dumps and log levels that come first. Call {@link #taskStarted()} when a task begins.
     * Never returns when the parent is gone: the JVM exits as an orphan.
     */
    public byte[] receive() throws InterruptedException {
        taskThread = Thread.currentThread();
        while (true) {
            byte[] queued = inbox.poll();
            if (queued != null) {
                return queued;
            }
            int state = reader.get();
            if (state == WATCHER_READS) {
                // The watcher gives the channel back only right after it queued a message for this thread.
                return inbox.take();
            }
            if (state == TASK_RUNS) {
                // Then once more round: the watcher may have queued a message before it gave the channel back.
                reader.compareAndSet(TASK_RUNS, TASK_THREAD_READS);
                continue;
            }
            byte[] message = read();
            if (!answeredHere(message)) {
                return message;
            }
        }
    }

    /** Says the task thread has begun a task: from now on nobody reads, until the watcher takes over. */
    public void taskStarted() {
        runningSince = System.nanoTime();
        reader.compareAndSet(TASK_THREAD_READS, TASK_RUNS);
    }

    @Override
    public void readSoon() {
        answerWanted = true;
        Thread reading = watcher;
        if (reading != null) {
            LockSupport.unpark(reading);
        }
    }

    @Override
    public boolean readsOnThisThread() {
        Thread self = Thread.currentThread();
        return self == watcher || (self == taskThread && reader.get() == TASK_THREAD_READS);
    }

    /**
     * A daemon thread, not yet started, that reads the channel for the task thread while a task runs (see the
     * class comment) and calls {@code onParentGone} at EOF. Start it once RUN is received.
     */
    public Thread parentWatcher(Runnable onParentGone) {
        this.onParentGone = onParentGone;
        Thread thread = LibraryThreads.daemon("multiprocess-parent-watcher", this::watch);
        watcher = thread;
        return thread;
    }

    private void watch() {
        // The target runs from now on: the time before RUN, waiting as a spare, is no task's.
        runningSince = System.nanoTime();
        try {
            while (true) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(WATCH_AFTER_MILLIS));
                boolean due = answerWanted
                        || System.nanoTime() - runningSince >= TimeUnit.MILLISECONDS.toNanos(WATCH_AFTER_MILLIS);
                if (due && reader.compareAndSet(TASK_RUNS, WATCHER_READS)) {
                    answerWanted = false;
                    readForTheTaskThread();
                }
            }
        } catch (Throwable e) {
            // A channel this JVM can no longer read leaves it unreachable for its parent: end it, so the parent
            // sees an exit (and replaces a pool worker) instead of waiting for an answer forever.
            System.err.println("multiprocess: reading the control channel failed, exiting: " + e);
            onParentGone.run();
        }
    }

    /** Reads until a message for the task thread comes, queues it and gives the channel back. */
    private void readForTheTaskThread() {
        while (true) {
            byte[] message = read();
            if (!answeredHere(message)) {
                inbox.add(message);
                reader.set(TASK_RUNS);
                return;
            }
        }
    }

    /** The next message; at EOF, or when the channel cannot be read, the parent is gone and this JVM ends. */
    private byte[] read() {
        try {
            return connection.recvBytes();
        } catch (IOException e) {
            onParentGone.run();
            // The JVM is exiting; this thread waits for it.
            while (true) {
                LockSupport.park();
            }
        }
    }

    /** Answers what the channel's reader answers itself; false for a message for the task thread. */
    private boolean answeredHere(byte[] message) {
        if (message.length == 0) {
            return true;
        }
        if (message[0] == FrameTypes.Pool.THREAD_DUMP) {
            answerThreadDump();
            return true;
        }
        if (message[0] == FrameTypes.Control.LEVEL) {
            LogRelay.answer(message);
            return true;
        }
        return false;
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
