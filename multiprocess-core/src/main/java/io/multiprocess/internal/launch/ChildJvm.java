package io.multiprocess.internal.launch;

import io.multiprocess.errors.MalformedFrameException;
import io.multiprocess.errors.MultiprocessException;
import io.multiprocess.internal.ConnectTimeout;
import io.multiprocess.internal.LibraryThreads;
import io.multiprocess.internal.LibraryTimer;
import io.multiprocess.internal.MpLogger;
import io.multiprocess.internal.logging.LogEvents;
import io.multiprocess.internal.transport.FrameChannel;
import io.multiprocess.internal.transport.FrameCodec;
import io.multiprocess.internal.transport.FrameTypes;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;

/**
 * The parent's handle on one child JVM: the OS process, its control channel, its stderr, and how it ended.
 *
 * <p>A child is launched, connects back and authenticates, loads the preload classes and reports READY. It then
 * waits for one RUN message. {@link #run(RunRequest)} may be called before READY (spawn: the request is sent as
 * soon as the child has connected, or on READY if it connects later) or after (forkserver: a warm spare is handed
 * the request at once).
 */
public final class ChildJvm {

    private static final Logger LOG = MpLogger.INSTANCE;
    private static final long CHANNEL_DRAIN_SECONDS = 2;

    private final Process process;
    private final long pid;
    private final OutputPump stderr;
    /** Null when the child's stdout goes straight to this JVM's. */
    private final OutputPump stdout;
    /** Where relayed lines go: who the child works for, so far. */
    private volatile ChildOutputSource outputSource;
    private final CompletableFuture<Void> channelDone = new CompletableFuture<>();
    private final CompletableFuture<Void> running = new CompletableFuture<>();
    private final CompletableFuture<Integer> exitCode;
    private volatile FrameChannel connection;
    private volatile int signalReported;
    private volatile boolean orderlyExitReported;
    private volatile boolean daemon = true;
    /** Who gets the messages this class does not handle; null until set, while they wait in {@link #early}. */
    private Consumer<byte[]> messageHandler;
    private final List<byte[]> early = new java.util.ArrayList<>();
    private volatile Throwable fault;
    private volatile ScheduledFuture<?> connectDeadline;
    /** Set once, by whichever comes first: the child's connection, or its connect deadline's kill. */
    private final java.util.concurrent.atomic.AtomicBoolean connectSettled =
            new java.util.concurrent.atomic.AtomicBoolean();
    private boolean ready;
    private byte[] pendingRun;
    private boolean assigned;
    private final Consumer<ChildJvm> readyListener;

    /** @param relayOutput whether the child's stdout and stderr are pipes to relay into this JVM's logging */
    ChildJvm(Process process, Consumer<ChildJvm> readyListener, boolean relayOutput) {
        this.readyListener = readyListener;
        this.process = process;
        this.pid = process.pid();
        this.outputSource = ChildOutputSource.unassigned(pid);
        this.stderr = new OutputPump(process.getErrorStream(), OutputPump.Stream.STDERR,
                relayOutput ? this::relay : null);
        LibraryThreads.start("multiprocess-stderr-" + pid, stderr);
        if (relayOutput) {
            this.stdout = new OutputPump(process.getInputStream(), OutputPump.Stream.STDOUT, this::relay);
            LibraryThreads.start("multiprocess-stdout-" + pid, stdout);
        } else {
            this.stdout = null;
        }
        // Registered before its exit can be heard: a JVM that dies at once (a bad flag) while the launching thread
        // is descheduled would otherwise be removed first and added after, and stay "live" for good.
        LiveChildren.add(this);
        this.exitCode = process.onExit()
                .thenCompose(exited -> {
                    if (connection == null) {
                        channelDone.complete(null);
                    }
                    // Its last words on stderr and on the channel are read before the exit is reported, for at most
                    // a few seconds (a grandchild may hold its stderr open).
                    CompletableFuture<Void> lastWords = CompletableFuture.allOf(channelDone, stderr.finished(),
                            stdout == null ? CompletableFuture.completedFuture(null) : stdout.finished());
                    LibraryTimer.expireUnlessDone(TimeUnit.SECONDS.toNanos(CHANNEL_DRAIN_SECONDS), lastWords,
                            () -> lastWords.complete(null));
                    return lastWords;
                })
                .thenApply(drained -> {
                    ScheduledFuture<?> deadline = connectDeadline;
                    if (deadline != null) {
                        deadline.cancel(false);
                    }
                    running.complete(null);
                    LiveChildren.remove(this);
                    closeConnection();
                    return ExitStatus.decode(process.exitValue(), signalReported, orderlyExitReported);
                });
    }

    /** Looks again after {@code timeout} whether the child has connected back; see {@link #checkConnected}. */
    void watchConnect(Duration timeout, Duration cpuSoFar, int extensions) {
        ScheduledFuture<?> deadline = LibraryTimer.schedule(() -> checkConnected(timeout, cpuSoFar, extensions),
                timeout);
        connectDeadline = deadline;
        if (!process.isAlive()) {
            // Exited before the deadline was set, so its exit could not cancel it.
            deadline.cancel(false);
        }
    }

    /**
     * At the connect deadline: a child still using CPU is only slow (a loaded machine) and is given the deadline
     * again, a few times; one that is not has stopped before the library's code could run or authenticate (a JVM
     * flag, an agent, a wrapper executable that does not run java) and is killed. Whoever waits on it then sees its
     * exit, with this as the reason.
     */
    private void checkConnected(Duration timeout, Duration cpuSoFar, int extensions) {
        if (connectSettled.get() || !process.isAlive()) {
            return;
        }
        // Working: more than 1% of a core since the last look. A shell that exec'd sleep used a tick or two.
        Duration cpu = process.info().totalCpuDuration().orElse(null);
        if (cpu != null && cpu.minus(cpuSoFar).compareTo(timeout.dividedBy(100)) > 0
                && extensions < ConnectTimeout.MOST_EXTENSIONS) {
            LOG.debug("child JVM {} has not connected back within {} ms but is using CPU ({} ms so far): "
                    + "waiting again", pid, timeout.toMillis(), cpu.toMillis());
            watchConnect(timeout, cpu, extensions + 1);
            return;
        }
        if (!connectSettled.compareAndSet(false, true)) {
            return;
        }
        fault = new MultiprocessException("child JVM " + pid + " did not connect back to its parent within "
                + timeout.multipliedBy(extensions + 1L).toMillis() + " ms and was not using CPU, so it was killed. "
                + "Something stopped it before the library's ChildMain could run or authenticate: check its JVM "
                + "arguments, agents and executable (a wrapper script must exec java with the arguments it is "
                + "given); " + ConnectTimeout.howToRaise() + stderrNote());
        LOG.warn("{}", fault.getMessage());
        kill();
    }

    private String stderrNote() {
        List<String> tail = stderr.tail();
        return tail.isEmpty() ? "" : ". Its stderr ended with: " + String.join(" | ", tail);
    }

    /** Called by the control server once the child has authenticated. */
    void attach(FrameChannel authenticated) {
        if (!connectSettled.compareAndSet(false, true)) {
            // The connect deadline passed first and the child is being killed: its exit tells the rest.
            try {
                authenticated.close();
            } catch (IOException e) {
                // Dropped either way.
            }
            return;
        }
        this.connection = authenticated;
        ScheduledFuture<?> deadline = connectDeadline;
        if (deadline != null) {
            deadline.cancel(false);
        }
        // A request assigned before the child connected goes now rather than on READY: the child reads it right
        // after it reports READY, without waiting a round trip for it.
        byte[] toSend;
        synchronized (this) {
            toSend = pendingRun;
            pendingRun = null;
        }
        if (toSend != null) {
            sendRun(toSend);
        }
        LibraryThreads.start("multiprocess-control-" + pid, this::readControlMessages);
    }

    /**
     * Makes this child run the request: at once if it is ready, else as soon as it reports READY.
     *
     * @throws IllegalStateException if the child was already given a request
     */
    public void run(RunRequest request) {
        byte[] message = request.encode();
        boolean sendNow;
        synchronized (this) {
            if (assigned) {
                throw new IllegalStateException("child JVM " + pid + " already runs a process");
            }
            assigned = true;
            daemon = request.daemon();
            sendNow = ready;
            if (!sendNow) {
                pendingRun = message;
            }
        }
        if (sendNow) {
            sendRun(message);
        }
    }

    /**
     * Sends a message on the control channel. Only after the child reported STARTED ({@link #running()}): before
     * that, the RUN message may not have gone out yet.
     */
    public void send(byte[] message) throws IOException {
        FrameChannel c = connection;
        if (c == null) {
            throw new IOException("child JVM " + pid + " is not connected");
        }
        c.sendBytes(message);
    }

    /** Reads this child's resident memory from /proc (Linux), or -1 where that is not available. */
    public long residentBytes() {
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc", Long.toString(pid),
                    "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // Not Linux, or the child is gone.
        }
        return -1;
    }

    /** The CPU time this child has used so far, or null where the platform does not tell. */
    public java.time.Duration cpuTime() {
        return ProcessHandle.of(pid).flatMap(handle -> handle.info().totalCpuDuration()).orElse(null);
    }

    /** What the operating system says of a child: resident bytes (-1: unknown) and CPU time (null: unknown). */
    public record OsFigures(long residentBytes, java.time.Duration cpuTime) {
    }

    private static final long OS_FIGURES_MAX_AGE_NANOS = 1_000_000_000L;
    private volatile OsFigures osFigures;
    private volatile long osFiguresReadNanos;

    /**
     * {@link #residentBytes()} and {@link #cpuTime()}, read again at most once a second: a snapshot is taken by
     * every gauge of every scrape and every health check, and each read is a few files of /proc.
     */
    public OsFigures osFigures() {
        long now = System.nanoTime();
        OsFigures figures = osFigures;
        if (figures == null || now - osFiguresReadNanos > OS_FIGURES_MAX_AGE_NANOS) {
            figures = new OsFigures(residentBytes(), cpuTime());
            osFigures = figures;
            osFiguresReadNanos = now;
        }
        return figures;
    }

    /**
     * Sets who receives control messages of types this class does not handle (pool tasks' results, ...). Messages
     * that came before are handed over first, in order: a warm spare can answer its RUN before its new owner has
     * called this.
     */
    public void onMessage(Consumer<byte[]> handler) {
        synchronized (early) {
            messageHandler = handler;
            early.forEach(handler);
            early.clear();
        }
    }

    private void deliver(byte[] message) {
        synchronized (early) {
            if (messageHandler == null) {
                early.add(message);
            } else {
                messageHandler.accept(message);
            }
        }
    }

    public long pid() {
        return pid;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Python's exit code, or null while the child runs. */
    public Integer exitCode() {
        return process.isAlive() ? null : exitCode.join();
    }

    /**
     * Whether the child, once exited, ended in an orderly way (its shutdown hooks ran): false after a native crash,
     * SIGKILL, or a JVM abort, whatever the exit code says.
     */
    public boolean exitedInOrder() {
        return orderlyExitReported || signalReported > 0;
    }

    /** Completes once the child has loaded its process object and begun run(), or has exited. */
    public CompletableFuture<Void> running() {
        return running.copy();
    }

    /** Completes with Python's exit code once the child has exited and its control channel is drained. */
    public CompletableFuture<Integer> onExit() {
        return exitCode.copy();
    }

    /** Asks the child to stop (SIGTERM); its shutdown hooks run. */
    public void terminate() {
        process.destroy();
    }

    /** Stops the child at once (SIGKILL). */
    public void kill() {
        process.destroyForcibly();
    }

    /**
     * What went wrong in this JVM while handling the child's messages, after which the child was killed; null if
     * nothing did.
     */
    public Throwable fault() {
        return fault;
    }

    /**
     * Says whom the child's relayed output lines are logged for from now on (see
     * {@link io.multiprocess.ChildOutput#LOG}): the logger and the MDC of each line, and the task running when it is
     * read. Nothing changes when the output is not relayed.
     */
    public void describeOutput(ChildOutputSource source) {
        this.outputSource = source;
    }

    private void relay(OutputPump.Stream stream, String line) {
        outputSource.log(stream, line);
    }

    /** The last lines the child wrote to stderr, oldest first. */
    public List<String> stderrTail() {
        return stderr.tail();
    }

    /** Whether the child has connected back and authenticated. */
    boolean connected() {
        return connection != null;
    }

    /** Whether this JVM ends it at exit: a daemonic process, a spare or a worker. */
    boolean isDaemon() {
        return daemon;
    }

    /** Waits at most {@code nanos} for the child to exit; true if it has. */
    boolean waitFor(long nanos) throws InterruptedException {
        return process.waitFor(nanos, TimeUnit.NANOSECONDS);
    }

    /** Whether this child was never given a process: a forkserver spare. */
    public synchronized boolean isIdleSpare() {
        return !assigned;
    }

    /** Whether the child has reported READY: authenticated, preloaded and waiting for work. */
    public synchronized boolean isReady() {
        return ready;
    }

    private void readControlMessages() {
        try {
            while (true) {
                byte[] message = connection.recvBytes();
                if (message.length == 0) {
                    continue;
                }
                switch (message[0]) {
                    case FrameTypes.Control.READY -> onReady();
                    case FrameTypes.Control.STARTED -> running.complete(null);
                    case FrameTypes.Control.SIGNALED -> signalReported = FrameCodec.read(message).getInt();
                    case FrameTypes.Control.EXITING -> orderlyExitReported = true;
                    case FrameTypes.Control.LOG -> LogEvents.log(message, outputSource.eventMdc());
                    case FrameTypes.Control.LEVEL_QUERY -> connection.sendBytes(LogEvents.levelAnswer(message));
                    default -> deliver(message);
                }
            }
        } catch (MalformedFrameException e) {
            // A frame this side cannot take from a peer that proved it has the key: garbage written to its socket
            // (a native bug, something else writing to the descriptor), or a frame over this JVM's limit (the child
            // was given a larger io.multiprocess.maxFrameBytes). Nothing it sends can be framed any more: it is taken
            // out of service as below, without a stack trace that only shows the framing.
            fault = new MultiprocessException("child JVM " + pid + " sent what this JVM cannot read as a message "
                    + "(" + e.getMessage() + "); its channel can no longer be framed, so it was killed", e);
            LOG.error("{}", fault.getMessage());
            kill();
        } catch (IOException e) {
            // EOF, or a reset: the child exited or closed its end.
        } catch (Throwable e) {
            // This JVM could not handle what the child sent (a result that failed to load, a frame it could not
            // hold): nobody would read its next message, so whoever waits on it would wait forever. The child is
            // taken out of service; its exit fails what it held, with this as the reason.
            fault = e;
            LOG.error("could not handle a message from child JVM {}; killing it so that what it held fails and "
                    + "it is replaced", pid, e);
            kill();
        } finally {
            channelDone.complete(null);
        }
    }

    private void onReady() {
        byte[] toSend;
        Consumer<ChildJvm> listener = null;
        synchronized (this) {
            ready = true;
            toSend = pendingRun;
            pendingRun = null;
            if (!assigned) {
                listener = readyListener;
            }
        }
        if (toSend != null) {
            sendRun(toSend);
        } else if (listener != null) {
            listener.accept(this);
        }
    }

    private void sendRun(byte[] message) {
        try {
            connection.sendBytes(message);
        } catch (IOException e) {
            // The child died before it could take the request; its exit code tells the caller what happened.
            LOG.debug("could not send a request to child JVM {}: {}", pid, e.toString());
        }
    }

    private void closeConnection() {
        FrameChannel c = connection;
        if (c != null) {
            try {
                c.close();
            } catch (IOException e) {
                // Already closed by the peer.
            }
        }
    }

    @Override
    public String toString() {
        return "ChildJvm[pid=" + pid + "]";
    }
}
