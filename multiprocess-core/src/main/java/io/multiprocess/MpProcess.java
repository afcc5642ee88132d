package io.multiprocess;

import io.multiprocess.connection.Waitable;
import io.multiprocess.function.SerializableRunnable;
import io.multiprocess.internal.CurrentProcess;
import io.multiprocess.internal.MpLogger;
import io.multiprocess.internal.launch.ChildJvm;
import io.multiprocess.internal.launch.ChildOutputSource;
import io.multiprocess.internal.launch.ProcessStarter;
import io.multiprocess.internal.launch.RunRequest;
import io.multiprocess.reduction.Reducer;
import io.multiprocess.reduction.Reducers;
import io.multiprocess.reduction.ReductionException;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.slf4j.event.Level;

/**
 * A process: code that runs in a child JVM of its own, with its own pid (Python's {@code Process}).
 *
 * <p>Give it a target, or subclass it and override {@link #run()}. The object itself is sent to the child through
 * the context's reducer, so a target's captured values and a subclass's fields travel with it.
 *
 * <pre>{@code
 * String greeting = "hello";
 * MpProcess p = Multiprocess.getContext().process(() -> System.out.println(greeting + " from a child"));
 * p.start();
 * p.join();
 * assert p.exitCode() == 0;
 *
 * class Squarer extends MpProcess {
 *     private final int n;
 *     Squarer(int n) { this.n = n; }
 *     public void run() { System.exit(n * n); }
 * }
 * }</pre>
 *
 * <p>Exit codes are Python's: 0 when {@code run()} returns; 1 when it throws (the stack trace is printed to stderr
 * after {@code Process NAME:}); {@code n} for {@code System.exit(n)}; {@code -15} after {@link #terminate()} (or
 * any SIGTERM), {@code -9} after {@link #kill()} (or any SIGKILL), {@code -N} for death by signal N.
 *
 * <p>A child whose parent dies exits promptly. When the parent JVM exits, daemonic children are terminated; a
 * non-daemonic child keeps the parent JVM from exiting on its own until the child ends, as a non-daemon thread
 * does (after {@code System.exit} it ends with its parent).
 */
public class MpProcess implements Serializable {

    private static final long serialVersionUID = 1L;
    private static final AtomicInteger CHILD_COUNTER = new AtomicInteger();
    private static final Set<MpProcess> CHILDREN = ConcurrentHashMap.newKeySet();
    private static volatile MpProcess current;

    static {
        CurrentProcess.setSource(new CurrentProcess.Source() {
            @Override
            public String name() {
                return current().getName();
            }

            @Override
            public byte[] authkey() {
                return current().getAuthkey();
            }
        });
    }
    private static volatile MpProcess parent;

    private final SerializableRunnable target;
    /** Everything about the process on this side; never sent, rebuilt in the child. */
    private transient State rt;

    /** For subclasses that override {@link #run()}; started with the default context. */
    protected MpProcess() {
        this(null, null, null);
    }

    /** For subclasses that override {@link #run()} and start with the given context. */
    protected MpProcess(BaseContext context) {
        this(Objects.requireNonNull(context, "context"), null, null);
    }

    /** A process running {@code target} with the default context; prefer {@link BaseContext#process}. */
    public MpProcess(SerializableRunnable target) {
        this(null, Objects.requireNonNull(target, "target"), null);
    }

    MpProcess(BaseContext context, SerializableRunnable target, String name) {
        this.target = target;
        MpProcess self = current();
        int[] identity = Arrays.copyOf(self.rt.identity, self.rt.identity.length + 1);
        identity[identity.length - 1] = CHILD_COUNTER.incrementAndGet();
        State r = new State(Kind.CHILD, identity);
        r.context = context;
        r.name = name != null ? name : "Process-" + Arrays.stream(identity).mapToObj(Integer::toString)
                .collect(Collectors.joining(":"));
        r.daemon = self.rt.daemon;
        r.authkey = self.rt.authkey.clone();
        this.rt = r;
    }

    private MpProcess(State state) {
        this.target = null;
        this.rt = state;
    }

    /** The classes whose code this process runs: its own class, and its target's. */
    private List<String> codeClassNames() {
        return target == null ? List.of(getClass().getName())
                : List.of(getClass().getName(), Reducers.codeClassName(target));
    }

    /** The code the process runs; by default calls the target. Override it in subclasses. */
    public void run() throws Exception {
        if (target != null) {
            target.run();
        }
    }

    /**
     * Starts the process in a child JVM and returns without waiting for it to run.
     *
     * @throws ReductionException if the process object (its target's captured values, a subclass's fields)
     *     cannot be sent with the context's reducer; nothing is started then
     * @throws IllegalStateException if it was started before, is closed, or this process is daemonic
     */
    public void start() {
        State r = checkNotClosed();
        if (r.kind != Kind.CHILD) {
            throw new IllegalStateException("the " + r.name + " process is already running; only a new MpProcess "
                    + "can be started");
        }
        if (current().rt.daemon && !io.multiprocess.internal.launch.ServiceProcess.childrenAllowed()) {
            throw new IllegalStateException("daemonic processes are not allowed to have children: " + current()
                    .getName() + " is daemonic");
        }
        long startCalled = System.nanoTime();
        synchronized (r) {
            if (r.started) {
                throw new IllegalStateException("process '" + r.name + "' was already started; a process can be "
                        + "started only once, create a new MpProcess to run the target again");
            }
            BaseContext context = r.context != null ? r.context : Multiprocess.getContext();
            Reducer reducer = context.getReducer();
            byte[] payload;
            try {
                payload = reducer.dumps(this);
            } catch (ReductionException e) {
                throw new ReductionException("cannot start process '" + r.name + "': " + e.getMessage(), e);
            }
            Level stderrLevel = MpLogger.stderrLevel();
            RunRequest request = new RunRequest(r.name, r.identity, r.daemon, r.authkey, current().getName(),
                    context.launchSettings(), stderrLevel == null ? "" : stderrLevel.name(), payload);
            ProcessStarter starter = context.starter();
            starter.expect(this::codeClassNames);
            ChildJvm child = starter.start(request);
            child.describeOutput(ChildOutputSource.process(child.pid(), r.name));
            r.child = child;
            r.started = true;
            CHILDREN.add(this);
            child.onExit().thenRun(() -> CHILDREN.remove(this));
            if (!r.daemon) {
                keepJvmAliveUntilExit(child, r.name);
            }
            context.processListeners().tell(this, child, context.getStartMethod(), startCalled);
            Multiprocess.getLogger().debug("started {} in child JVM {} ({})", r.name, child.pid(),
                    context.getStartMethod());
        }
    }

    /** Waits until the process exits. */
    public void join() {
        ChildJvm child = startedChild("join");
        child.onExit().join();
        CHILDREN.remove(this);
    }

    /**
     * Waits at most {@code timeout} for the process to exit; zero or negative checks without waiting.
     *
     * @return true if it has exited
     */
    public boolean join(Duration timeout) {
        ChildJvm child = startedChild("join");
        if (!Waiting.completesWithin(child.onExit(), timeout)) {
            return false;
        }
        CHILDREN.remove(this);
        return true;
    }

    /** Completes with the exit code when the process has exited. */
    public CompletableFuture<Integer> onExit() {
        return startedChild("wait for").onExit();
    }

    /**
     * An object that is {@linkplain Waitable#isReady() ready} once the process has exited, to wait on together with
     * connections and other processes with {@link Waitable#waitAny} (Python's {@code sentinel}). The same object
     * each time. In a child, the {@linkplain Multiprocess#parentProcess() parent process}'s sentinel is ready once
     * the parent has exited.
     *
     * <pre>{@code
     * List<Waitable> ready = Waitable.waitAny(List.of(worker.sentinel(), results), Duration.ofSeconds(5));
     * if (ready.contains(worker.sentinel())) { ... the worker exited ... }
     * }</pre>
     *
     * @throws IllegalStateException before {@link #start()}, for the current process, or after {@link #close()}
     */
    public Waitable sentinel() {
        State r = checkNotClosed();
        synchronized (r) {
            if (r.sentinel == null) {
                r.sentinel = switch (r.kind) {
                    case CHILD -> new ProcessSentinel(r.name, startedChild("get the sentinel of").onExit());
                    case PARENT -> new ProcessSentinel(r.name, ProcessHandle.of(r.pid).map(ProcessHandle::onExit)
                            .orElseGet(() -> CompletableFuture.completedFuture(null)));
                    case CURRENT -> throw new IllegalStateException("the current process (" + r.name + ") has no "
                            + "sentinel: it cannot wait for its own exit");
                };
            }
            return r.sentinel;
        }
    }

    /** Whether the process runs: started and not yet exited (always true for the current process). */
    public boolean isAlive() {
        State r = checkNotClosed();
        return switch (r.kind) {
            case CURRENT -> true;
            case PARENT -> ProcessHandle.of(r.pid).map(ProcessHandle::isAlive).orElse(false);
            case CHILD -> r.child != null && r.child.isAlive();
        };
    }

    /** Python's exit code, or null while running or before start. */
    public Integer exitCode() {
        State r = checkNotClosed();
        return r.child == null ? null : r.child.exitCode();
    }

    /** The OS process id, or null before start. */
    public Long pid() {
        State r = checkNotClosed();
        if (r.kind == Kind.CHILD) {
            return r.child == null ? null : r.child.pid();
        }
        return r.pid;
    }

    /** Asks the process to stop with SIGTERM (its shutdown hooks run); the exit code becomes -15. */
    public void terminate() {
        ChildJvm child = startedChild("terminate");
        child.terminate();
    }

    /** Stops the process at once with SIGKILL; the exit code becomes -9. */
    public void kill() {
        ChildJvm child = startedChild("kill");
        child.kill();
    }

    /**
     * Releases this object's resources; afterwards every method but {@link #getName()} and {@link #toString()}
     * throws {@link IllegalStateException}.
     *
     * @throws IllegalStateException if the process is still running: {@link #join()} or {@link #terminate()} it
     *     first
     */
    public void close() {
        State r = rt;
        if (r.closed) {
            return;
        }
        if (r.child != null && r.child.isAlive()) {
            throw new IllegalStateException("cannot close process '" + r.name + "' while it is still running; "
                    + "call join() or terminate() first");
        }
        r.closed = true;
        CHILDREN.remove(this);
    }

    public String getName() {
        return rt.name;
    }

    public void setName(String name) {
        rt.name = Objects.requireNonNull(name, "name");
    }

    /** Whether the process is daemonic: terminated when its parent exits, and not allowed children. */
    public boolean isDaemon() {
        return rt.daemon;
    }

    /** Sets the daemon flag; defaults to the creating process's flag. */
    public void setDaemon(boolean daemon) {
        State r = checkNotClosed();
        if (r.started || r.kind != Kind.CHILD) {
            throw new IllegalStateException("cannot change the daemon flag of '" + r.name + "': it has already "
                    + "started");
        }
        r.daemon = daemon;
    }

    /** The authkey: inherited from the creating process, 32 random bytes in the main process. */
    public byte[] getAuthkey() {
        return rt.authkey.clone();
    }

    public void setAuthkey(byte[] authkey) {
        rt.authkey = Objects.requireNonNull(authkey, "authkey").clone();
    }

    @Override
    public String toString() {
        State r = rt;
        StringBuilder text = new StringBuilder("<").append(getClass().getSimpleName()).append(" name='")
                .append(r.name).append('\'');
        if (r.closed) {
            return text.append(" closed>").toString();
        }
        Long pid = r.kind == Kind.CHILD ? (r.child == null ? null : r.child.pid()) : r.pid;
        if (pid != null) {
            text.append(" pid=").append(pid);
        }
        if (r.kind == Kind.CHILD) {
            Integer code = r.child == null ? null : r.child.exitCode();
            text.append(r.child == null ? " initial" : code == null ? " started" : " stopped exitcode=" + code);
        } else {
            text.append(" started");
        }
        if (r.daemon) {
            text.append(" daemon");
        }
        return text.append('>').toString();
    }

    static MpProcess current() {
        MpProcess process = current;
        if (process == null) {
            synchronized (MpProcess.class) {
                if (current == null) {
                    State main = new State(Kind.CURRENT, new int[0]);
                    main.name = "MainProcess";
                    main.pid = ProcessHandle.current().pid();
                    main.authkey = CurrentProcess.mainAuthkey();
                    current = new MpProcess(main);
                }
                process = current;
            }
        }
        return process;
    }

    /** The child JVM running this process, or null before start. */
    ChildJvm childJvm() {
        return rt.child;
    }

    static MpProcess parent() {
        return parent;
    }

    static List<MpProcess> activeChildren() {
        List<MpProcess> alive = new ArrayList<>();
        for (MpProcess child : CHILDREN) {
            if (child.rt.child.isAlive()) {
                alive.add(child);
            } else {
                CHILDREN.remove(child);
            }
        }
        return alive;
    }

    /**
     * In a child JVM: becomes the process described by {@code request} and runs it.
     *
     * @param reducer the reducer named in the request, already warmed up by the child
     * @param onRunning called once the process object is loaded, just before run()
     * @return the exit code: 0 when run() returned, 1 when it threw or the process object could not be loaded
     */
    static int runInChild(RunRequest request, Reducer reducer, Runnable onRunning) {
        Multiprocess.inheritFromParent(request.settings(), reducer);
        if (!request.stderrLogLevel().isEmpty()) {
            MpLogger.setStderrLevel(Level.valueOf(request.stderrLogLevel()));
        }
        State parentState = new State(Kind.PARENT, new int[0]);
        parentState.name = request.parentName();
        parentState.pid = ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L);
        parentState.authkey = request.authkey();
        parent = new MpProcess(parentState);

        State self = new State(Kind.CURRENT, request.identity());
        self.name = request.name();
        self.daemon = request.daemon();
        self.authkey = request.authkey();
        self.pid = ProcessHandle.current().pid();
        // Loading may run a subclass's constructor, which asks for the current process: it must already be this.
        current = new MpProcess(self);
        MpProcess process;
        try {
            process = (MpProcess) reducer.loads(request.payload());
        } catch (RuntimeException | LinkageError e) {
            synchronized (System.err) {
                System.err.println("Process " + request.name() + ": cannot load the process object sent by the "
                        + "parent; parent and child must run the same classpath");
                e.printStackTrace();
            }
            return 1;
        }
        process.rt = self;
        current = process;
        // As Python's child resets its process counter: loading the object may have run a constructor.
        CHILD_COUNTER.set(0);
        onRunning.run();
        try {
            process.run();
            return 0;
        } catch (Throwable e) {
            synchronized (System.err) {
                System.err.println("Process " + self.name + ":");
                e.printStackTrace();
                System.err.flush();
            }
            return 1;
        }
    }

    private State checkNotClosed() {
        State r = rt;
        if (r.closed) {
            throw new IllegalStateException("process object '" + r.name + "' is closed");
        }
        return r;
    }

    private ChildJvm startedChild(String action) {
        State r = checkNotClosed();
        if (r.child == null) {
            throw new IllegalStateException("cannot " + action + " process '" + r.name + "': "
                    + (r.kind == Kind.CHILD ? "it was not started; call start() first"
                            : "it is the " + r.kind.name().toLowerCase() + " process, not a child of this one"));
        }
        return r.child;
    }

    /** A non-daemon thread per non-daemonic child, so the JVM does not end while the child runs. */
    private static void keepJvmAliveUntilExit(ChildJvm child, String name) {
        Thread keeper = new Thread(() -> child.onExit().join(), "multiprocess-join-" + name);
        keeper.setDaemon(false);
        keeper.start();
    }

    private enum Kind {
        /** A process this JVM starts. */
        CHILD,
        /** The process this JVM is. */
        CURRENT,
        /** The parent of this JVM. */
        PARENT
    }

    /** The mutable, process-local side of a process object. */
    private static final class State {
        final Kind kind;
        final int[] identity;
        BaseContext context;
        String name;
        boolean daemon;
        byte[] authkey;
        Long pid;
        volatile ChildJvm child;
        boolean started;
        volatile boolean closed;
        Waitable sentinel;

        State(Kind kind, int[] identity) {
            this.kind = kind;
            this.identity = identity;
        }
    }
}
