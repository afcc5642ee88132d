package io.multiprocess;

import io.multiprocess.connection.Pipe;
import io.multiprocess.function.SerializableConsumer;
import io.multiprocess.function.SerializableRunnable;
import io.multiprocess.internal.launch.LaunchSettings;
import io.multiprocess.internal.launch.ProcessStarter;
import io.multiprocess.managers.ManagerHost;
import io.multiprocess.managers.PoolProxy;
import io.multiprocess.managers.SyncManager;
import io.multiprocess.queues.JoinableQueue;
import io.multiprocess.queues.MpQueue;
import io.multiprocess.queues.SimpleQueue;
import io.multiprocess.reduction.Reducer;
import io.multiprocess.reduction.Reducers;
import io.multiprocess.sharedctypes.CType;
import io.multiprocess.sharedctypes.SharedArray;
import io.multiprocess.sharedctypes.SharedCTypes;
import io.multiprocess.sharedctypes.SharedValue;
import io.multiprocess.synchronize.Barrier;
import io.multiprocess.synchronize.BoundedSemaphore;
import io.multiprocess.synchronize.Condition;
import io.multiprocess.synchronize.Event;
import io.multiprocess.synchronize.Lock;
import io.multiprocess.synchronize.Mutex;
import io.multiprocess.synchronize.RLock;
import io.multiprocess.synchronize.Semaphore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * A start method and its settings, and the factory of every object that works across processes (Python's
 * {@code BaseContext}). Get one from {@link Multiprocess#getContext()} or {@link Multiprocess#getContext(String)};
 * a context may also be created directly (e.g. {@code new io.multiprocess.SpawnContext()}) to keep
 * settings apart from the shared ones.
 *
 * <pre>{@code
 * BaseContext ctx = Multiprocess.getContext("spawn");
 * ctx.setReducer("java");
 * ctx.setJvmArguments(List.of("-Xmx256m"));
 * MpProcess p = ctx.process(() -> System.out.println("hello from a child JVM"));
 * p.start();
 * p.join();
 * }</pre>
 *
 * <p>Settings apply to processes started after the change. Thread-safe.
 */
public abstract class BaseContext implements AutoCloseable, ManagerHost {

    private volatile Reducer reducer = Reducers.defaultReducer();
    private ProcessListeners processListeners = new ProcessListeners();
    private volatile Path executable;
    private volatile List<String> jvmArguments = List.of();
    private volatile boolean startupArchive = true;
    private volatile ChildOutput childOutput = ChildOutput.INHERIT;
    private volatile io.multiprocess.pool.TaskTracer taskTracer;
    private ProcessStarter starter;

    BaseContext() {
    }

    /** This context's start method: {@code "spawn"} or {@code "forkserver"}. */
    public abstract String getStartMethod();

    /** A process that runs {@code target} in a child JVM when started; its name is {@code Process-N}. */
    public MpProcess process(SerializableRunnable target) {
        return new MpProcess(this, Objects.requireNonNull(target, "target"), null);
    }

    /** A process with a name that runs {@code target} in a child JVM when started. */
    public MpProcess process(String name, SerializableRunnable target) {
        return new MpProcess(this, Objects.requireNonNull(target, "target"), Objects.requireNonNull(name, "name"));
    }

    /** A pool with one worker JVM per CPU; see {@link ProcessPool}. */
    public ProcessPool pool() {
        return pool(io.multiprocess.pool.PoolOptions.defaults());
    }

    /**
     * A pool of {@code processes} worker JVMs; see {@link ProcessPool}.
     *
     * @throws IllegalArgumentException if {@code processes} is below 1
     */
    public ProcessPool pool(int processes) {
        return pool(io.multiprocess.pool.PoolOptions.defaults().processes(processes));
    }

    /**
     * A pool with Python's options (processes, initializer, maxTasksPerChild) and ours (task timeout, memory
     * recycling); its workers start at once, in parallel.
     */
    public ProcessPool pool(io.multiprocess.pool.PoolOptions options) {
        return ProcessPool.create(this, options);
    }

    /** A new unbounded queue shared by processes (Python's {@code ctx.Queue()}); see {@link MpQueue}. */
    public <T> MpQueue<T> queue() {
        return queue(0);
    }

    /**
     * A new queue holding at most {@code maxsize} items (Python's {@code ctx.Queue(maxsize)}); 0 means unbounded.
     *
     * @throws IllegalArgumentException if {@code maxsize} is negative
     */
    public <T> MpQueue<T> queue(int maxsize) {
        return MpQueue.create(checkMaxsize(maxsize), reducer);
    }

    /** A new unbounded queue counting unfinished items (Python's {@code ctx.JoinableQueue()}). */
    public <T> JoinableQueue<T> joinableQueue() {
        return joinableQueue(0);
    }

    /** A new queue counting unfinished items and holding at most {@code maxsize} (0: unbounded). */
    public <T> JoinableQueue<T> joinableQueue(int maxsize) {
        return JoinableQueue.createJoinable(checkMaxsize(maxsize), reducer);
    }

    /** A new plain unbounded queue (Python's {@code ctx.SimpleQueue()}). */
    public <T> SimpleQueue<T> simpleQueue() {
        return SimpleQueue.create(reducer);
    }

    /** A new two-way pipe (Python's {@code ctx.Pipe()}); see {@link Pipe}. */
    public Pipe pipe() {
        return pipe(true);
    }

    /**
     * A new pipe (Python's {@code ctx.Pipe(duplex)}): two-way if {@code duplex}, else its first end only receives
     * and its second only sends.
     */
    public Pipe pipe(boolean duplex) {
        return Pipe.open(duplex, reducer);
    }

    /**
     * A lock for threads of every process it reaches (Python's {@code Lock()}); see {@link Lock}. It lives in
     * shared memory until this JVM exits; pass it to processes as an argument, captured by a lambda, or in a task.
     */
    public Lock lock() {
        return Lock.create();
    }

    /** A re-entrant lock for threads of every process it reaches (Python's {@code RLock()}); see {@link RLock}. */
    public RLock rlock() {
        return RLock.create();
    }

    /**
     * A semaphore with {@code value} permits (Python's {@code Semaphore(value)}); see {@link Semaphore}.
     *
     * @throws IllegalArgumentException if {@code value} is negative
     */
    public Semaphore semaphore(int value) {
        return Semaphore.create(value);
    }

    /**
     * A semaphore that may not be released above {@code value} (Python's {@code BoundedSemaphore(value)}); see
     * {@link BoundedSemaphore}.
     *
     * @throws IllegalArgumentException if {@code value} is negative
     */
    public BoundedSemaphore boundedSemaphore(int value) {
        return BoundedSemaphore.create(value);
    }

    /** A condition over a new {@link RLock} (Python's {@code Condition()}); see {@link Condition}. */
    public Condition condition() {
        return Condition.create(RLock.create());
    }

    /** A condition over {@code lock}, a {@link Lock} or an {@link RLock} (Python's {@code Condition(lock)}). */
    public Condition condition(Mutex lock) {
        return Condition.create(lock);
    }

    /** An event, not set (Python's {@code Event()}); see {@link Event}. */
    public Event event() {
        return Event.create();
    }

    /**
     * A barrier for {@code parties} parties, without action or default timeout (Python's {@code Barrier(parties)});
     * see {@link Barrier}.
     *
     * @throws IllegalArgumentException if {@code parties} is below 1
     */
    public Barrier barrier(int parties) {
        return Barrier.create(parties, null, null);
    }

    /**
     * A barrier for {@code parties} parties (Python's {@code Barrier(parties, action, timeout)}).
     *
     * @param action run once per round by the last party to arrive, or null; it travels with the barrier
     * @param timeout the default timeout of {@link Barrier#await()}, or null for none
     * @throws IllegalArgumentException if {@code parties} is below 1
     */
    public Barrier barrier(int parties, SerializableRunnable action, Duration timeout) {
        return Barrier.create(parties, action, timeout);
    }

    /**
     * A value of a primitive type in shared memory with its own cross-process {@link RLock} (Python's
     * {@code Value(typecode, initial)}). The {@link CType} token names the type and, at compile time, the class of
     * the result and of {@code initial}:
     *
     * <pre>{@code
     * IntValue hits = ctx.value(CType.INT, 0);          // Python: Value('i', 0)
     * DoubleValue mean = ctx.value(CType.DOUBLE, 0.5);  // Value('d', 0.5)
     * }</pre>
     *
     * <p>Each class ({@link io.multiprocess.sharedctypes.IntValue}, {@code LongValue}, {@code DoubleValue}, ...) has
     * {@code get()} and {@code set()} of the primitive itself; see {@link SharedValue}.
     */
    public <V extends SharedValue, E> V value(CType<V, ?, E, ?> type, E initial) {
        return SharedCTypes.value(type, initial, true);
    }

    /** As {@link #value(CType, Object)}, holding zero ({@code false} for a boolean), as Python's {@code Value('i')}. */
    public <V extends SharedValue> V value(CType<V, ?, ?, ?> type) {
        return zeroValue(type, true);
    }

    /**
     * As {@link #value(CType, Object)} for a type known only at run time, by Python's type code ({@code "i"},
     * {@code "q"}, {@code "d"}, ...): {@code SharedValue v = ctx.value("d", 1.5);}. The result is the sealed base
     * class; {@code initial} is checked when it runs, as {@link SharedCTypes} tells.
     *
     * @throws IllegalArgumentException if the code is unknown or {@code initial} does not fit its type
     */
    public SharedValue value(String typecode, Object initial) {
        return SharedCTypes.value(typecode, initial, true);
    }

    /**
     * As {@link #value(CType, Object)} without a lock (Python's {@code RawValue}): {@code getLock()} refuses, and
     * {@code get()}/{@code set()} are single volatile accesses. {@code IntValue n = ctx.rawValue(CType.INT, 0);}
     */
    public <V extends SharedValue, E> V rawValue(CType<V, ?, E, ?> type, E initial) {
        return SharedCTypes.value(type, initial, false);
    }

    /** As {@link #rawValue(CType, Object)}, holding zero ({@code false} for a boolean). */
    public <V extends SharedValue> V rawValue(CType<V, ?, ?, ?> type) {
        return zeroValue(type, false);
    }

    /** As {@link #value(String, Object)} without a lock (Python's {@code RawValue(typecode, initial)}). */
    public SharedValue rawValue(String typecode, Object initial) {
        return SharedCTypes.value(typecode, initial, false);
    }

    private static <V extends SharedValue, E> V zeroValue(CType<V, ?, E, ?> type, boolean lock) {
        return SharedCTypes.value(type, type.zero(), lock);
    }

    /**
     * An array of {@code size} elements of a primitive type in shared memory, all zero, with its own cross-process
     * {@link RLock} (Python's {@code Array(typecode, size)}):
     * {@code DoubleArray xs = ctx.array(CType.DOUBLE, 100);}. See {@link SharedArray}.
     *
     * @throws IllegalArgumentException if {@code size} is negative
     */
    public <A extends SharedArray> A array(CType<?, A, ?, ?> type, int size) {
        return SharedCTypes.array(type, size, true);
    }

    /**
     * A copy of {@code initial}, a primitive array of the token's type, in shared memory with its own lock (Python's
     * {@code Array(typecode, sequence)}): {@code IntArray a = ctx.array(CType.INT, new int[] {1, 2, 3});}.
     */
    public <A extends SharedArray, P> A array(CType<?, A, ?, P> type, P initial) {
        return SharedCTypes.array(type, initial, true);
    }

    /** As {@link #array(CType, int)}, by Python's type code: {@code SharedArray a = ctx.array("d", 100);}. */
    public SharedArray array(String typecode, int size) {
        return SharedCTypes.array(typecode, size, true);
    }

    /**
     * As {@link #array(CType, Object)}, by Python's type code; {@code initial} must be a primitive array of its type.
     */
    public SharedArray array(String typecode, Object initial) {
        return SharedCTypes.array(typecode, initial, true);
    }

    /** As {@link #array(CType, int)} without a lock (Python's {@code RawArray(typecode, size)}). */
    public <A extends SharedArray> A rawArray(CType<?, A, ?, ?> type, int size) {
        return SharedCTypes.array(type, size, false);
    }

    /** As {@link #array(CType, Object)} without a lock (Python's {@code RawArray(typecode, sequence)}). */
    public <A extends SharedArray, P> A rawArray(CType<?, A, ?, P> type, P initial) {
        return SharedCTypes.array(type, initial, false);
    }

    /** As {@link #array(String, int)} without a lock. */
    public SharedArray rawArray(String typecode, int size) {
        return SharedCTypes.array(typecode, size, false);
    }

    /** As {@link #array(String, Object)} without a lock. */
    public SharedArray rawArray(String typecode, Object initial) {
        return SharedCTypes.array(typecode, initial, false);
    }

    /**
     * Starts a manager server in a new child process and returns it (Python's {@code ctx.Manager()}); see
     * {@link SyncManager}. Its proxies ({@code dict()}, {@code list()}, {@code namespace()}, ...) can be used from
     * every process they reach. Shut it down with {@link SyncManager#shutdown()} or try-with-resources.
     */
    public SyncManager manager() {
        return SyncManager.builder().start(this);
    }

    /** Starts a manager's server in a daemonic child process of this context; see {@link ManagerHost}. */
    @Override
    public ManagerHost.ServerProcess startServer(String name, SerializableConsumer<ManagerHost> server) {
        MpProcess process = process(name, () -> server.accept(Multiprocess.getContext()));
        process.setDaemon(true);
        process.start();
        return new ManagerServerProcess(process);
    }

    /** A pool of this context for a manager to serve ({@code manager.pool(n)}); see {@link ManagerHost}. */
    @Override
    public PoolProxy newPool(int processes) {
        if (processes < 1) {
            throw new IllegalArgumentException("a pool needs at least 1 process, got " + processes);
        }
        return new ManagedPool(pool(processes), processes);
    }

    private static int checkMaxsize(int maxsize) {
        if (maxsize < 0) {
            throw new IllegalArgumentException("maxsize must be 0 (unbounded) or more: " + maxsize);
        }
        return maxsize;
    }

    /**
     * Tells {@code listener} when this context's processes (pool workers included) start and exit; see
     * {@link ProcessListener}. Contexts derived from this one (a pool's context with JVM arguments of its own) share
     * its listeners; adding a listener that is already there has no effect.
     */
    public void addProcessListener(ProcessListener listener) {
        processListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    public void removeProcessListener(ProcessListener listener) {
        processListeners.remove(listener);
    }

    ProcessListeners processListeners() {
        return processListeners;
    }

    /** The reducer that turns everything sent to children into bytes. Default: {@code kryo}. */
    public Reducer getReducer() {
        return reducer;
    }

    /** Uses this reducer for everything sent to children from now on. */
    public void setReducer(Reducer reducer) {
        this.reducer = Objects.requireNonNull(reducer, "reducer");
        settingsChanged();
    }

    /**
     * Selects a reducer by name: {@code kryo}, {@code java}, {@code jackson}, or the class name of a
     * {@link Reducer} with a public no-argument constructor.
     *
     * @throws IllegalArgumentException for an unknown name
     */
    public void setReducer(String name) {
        setReducer(Reducers.byName(name));
    }

    /**
     * Sets the java binary child JVMs run with (Python's {@code set_executable}); {@code null} restores the
     * default, the binary running this JVM.
     *
     * @throws IllegalArgumentException if the file does not exist or cannot be executed
     */
    public void setExecutable(Path java) {
        if (java != null && !Files.isExecutable(java)) {
            throw new IllegalArgumentException("java executable " + java + " does not exist or is not executable; "
                    + "pass the path of a JDK's bin/java, or null for the one running this JVM");
        }
        this.executable = java;
        settingsChanged();
    }

    /** The java binary set with {@link #setExecutable(Path)}, or null for the one running this JVM. */
    public Path getExecutable() {
        return executable;
    }

    /**
     * Extra JVM arguments for child JVMs, e.g. {@code List.of("-Xmx512m")}. Children run the serial collector unless
     * these choose one ({@code -XX:+UseG1GC}, for example): see docs/context-and-configuration.md, "Child JVM flags".
     */
    public void setJvmArguments(List<String> arguments) {
        this.jvmArguments = List.copyOf(arguments);
        settingsChanged();
    }

    public List<String> getJvmArguments() {
        return jvmArguments;
    }

    /**
     * Whether child JVMs start from a class-data archive of the library's bootstrap, made once per JDK, classpath
     * and JVM arguments in the user's cache directory (AppCDS before JDK 25, the AOT cache from 25 on). On by
     * default; it only applies when the classpath holds jars only (not class directories, as in an IDE or a Maven
     * build) and is otherwise skipped silently. See docs/context-and-configuration.md.
     */
    public void setStartupArchive(boolean enabled) {
        this.startupArchive = enabled;
        settingsChanged();
    }

    public boolean isStartupArchive() {
        return startupArchive;
    }

    /**
     * Where the stdout and stderr of child JVMs started from now on go: straight to this JVM's
     * ({@link ChildOutput#INHERIT}, the default, as Python) or, line by line, into this JVM's logging
     * ({@link ChildOutput#LOG}). Warm forkserver spares launched before the change are replaced.
     */
    public void setChildOutput(ChildOutput output) {
        this.childOutput = java.util.Objects.requireNonNull(output, "output");
        settingsChanged();
    }

    public ChildOutput getChildOutput() {
        return childOutput;
    }

    /**
     * Traces the tasks of process pools created from now on (see {@link io.multiprocess.pool.TaskTracer}); null,
     * the default, for none. The Spring Boot starter sets one over Micrometer Observation.
     *
     * <pre>{@code
     * ctx.setTaskTracer(myTracer);
     * try (ProcessPool pool = ctx.pool(4)) {
     *     pool.map(render, pages);        // one traced task per chunk; the workers log with its traceId
     * }
     * }</pre>
     */
    public void setTaskTracer(io.multiprocess.pool.TaskTracer tracer) {
        this.taskTracer = tracer;
    }

    public io.multiprocess.pool.TaskTracer getTaskTracer() {
        return taskTracer;
    }

    /** Class names loaded and initialized in a child before it takes work; only forkserver preloads. */
    List<String> preloadedClasses() {
        return List.of();
    }

    /** How this context's start method starts a child: one starter class per start method, as CPython's popen_*. */
    abstract ProcessStarter newStarter(LaunchSettings settings);

    /** A new context of this start method with this one's settings; subclasses copy their own settings too. */
    BaseContext copy() {
        BaseContext copy = newEmptyCopy();
        copy.reducer = reducer;
        copy.executable = executable;
        copy.jvmArguments = jvmArguments;
        copy.startupArchive = startupArchive;
        copy.childOutput = childOutput;
        copy.taskTracer = taskTracer;
        // A copy's processes (a pool's workers) are this context's processes, for whoever listens.
        copy.processListeners = processListeners;
        return copy;
    }

    abstract BaseContext newEmptyCopy();

    /** Drops idle children started with the old settings; the next start uses the new ones. */
    protected final void settingsChanged() {
        close();
    }

    /**
     * Starts {@code count} child JVMs ahead, so that the next processes and pool workers of this context start at
     * once: with {@code forkserver}, warm spares, booting side by side (those beyond the spares the context keeps,
     * {@code ForkServerContext.setSpares}, are not replaced once taken: a burst prepared ahead, not more idle JVMs
     * for good); with {@code spawn}, which starts a fresh JVM for each process by definition, nothing. The
     * future completes when they are ready, or fails when spares keep dying at start-up (a bad JVM flag); it is
     * safe to ignore it and go on: a start before the spares are ready launches a JVM of its own, as without.
     *
     * <pre>{@code
     * BaseContext ctx = Multiprocess.getContext();
     * ctx.prewarm(4).join();                      // at application start, while nobody waits for it
     * try (ProcessPool pool = ctx.pool(4)) {      // takes four warm JVMs: ready at once
     *     pool.map(Report::render, pages);
     * }
     * }</pre>
     *
     * @throws IllegalArgumentException if {@code count} is less than 1
     */
    public CompletableFuture<Void> prewarm(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("prewarm needs at least 1 JVM, got " + count);
        }
        return starter().prewarm(count);
    }

    /**
     * Stops the idle child JVMs this context keeps (forkserver spares). Running processes are not touched, and the
     * context stays usable: spares are launched again on the next start. Call it when an application stops.
     */
    @Override
    public synchronized void close() {
        if (starter != null) {
            starter.close();
            starter = null;
        }
    }

    LaunchSettings launchSettings() {
        return new LaunchSettings(getStartMethod(), Reducers.nameOf(reducer),
                executable == null ? "" : executable.toString(), jvmArguments, preloadedClasses(), startupArchive,
                childOutput == ChildOutput.LOG);
    }

    synchronized ProcessStarter starter() {
        if (starter == null) {
            starter = newStarter(launchSettings());
        }
        return starter;
    }

    /**
     * A new context with this one's start method and settings, plus {@code extraJvmArguments}: what a pool with JVM
     * arguments of its own launches its workers through.
     */
    BaseContext withExtraJvmArguments(List<String> extraJvmArguments) {
        BaseContext copy = copy();
        List<String> arguments = new java.util.ArrayList<>(jvmArguments);
        arguments.addAll(extraJvmArguments);
        copy.jvmArguments = List.copyOf(arguments);
        return copy;
    }

    void applyInheritedSettings(LaunchSettings settings, Reducer reducer) {
        this.reducer = reducer;
        this.executable = settings.executable().isEmpty() ? null : Path.of(settings.executable());
        this.jvmArguments = settings.jvmArguments();
        this.startupArchive = settings.startupArchive();
        settingsChanged();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + getStartMethod() + ", reducer=" + reducer.name() + "]";
    }
}
