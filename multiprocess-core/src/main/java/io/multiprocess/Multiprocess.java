package io.multiprocess;

import io.multiprocess.internal.MpLogger;
import io.multiprocess.internal.context.ContextDefaults;
import io.multiprocess.internal.launch.LaunchSettings;
import io.multiprocess.reduction.Reducer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.event.Level;

/**
 * The module-level functions of Python's {@code multiprocess}: contexts and the start method, the process
 * family, and logging.
 *
 * <pre>{@code
 * Multiprocess.setStartMethod("spawn");            // once, early; or use getContext("spawn") locally
 * BaseContext ctx = Multiprocess.getContext();
 * int n = 7;
 * MpProcess p = ctx.process(() -> System.out.println(n * n + " from " + Multiprocess.currentProcess().pid()));
 * p.start();
 * p.join();
 * }</pre>
 *
 * <p>Start methods: {@code forkserver} (warm child JVMs handed out at once; the default on Linux and macOS) and
 * {@code spawn} (a fresh JVM per process; the default on Windows). {@code fork} cannot exist on a JVM.
 */
public final class Multiprocess {

    private static final Map<String, BaseContext> CONTEXTS = new LinkedHashMap<>();
    private static BaseContext actualContext;

    static {
        CONTEXTS.put(ForkServerContext.METHOD, new ForkServerContext());
        CONTEXTS.put(SpawnContext.METHOD, new SpawnContext());
        ContextDefaults.setReducerSource(() -> getContext().getReducer());
    }

    private Multiprocess() {
    }

    /**
     * In a worker JVM, the trace headers of the pool task that runs on this thread (see
     * {@link io.multiprocess.pool.TaskTracer}); empty elsewhere, or for an untraced task. For task code that
     * continues the trace with a tracer of its own.
     *
     * <pre>{@code
     * pool.apply(() -> {
     *     Context parent = propagator.extract(Context.root(), Multiprocess.currentTaskHeaders(), MAP_GETTER);
     *     ...
     * });
     * }</pre>
     */
    public static Map<String, String> currentTaskHeaders() {
        return io.multiprocess.internal.pool.WorkerTrace.currentHeaders();
    }

    /** The default context: the one of the start method set, or of the platform's default method. */
    public static synchronized BaseContext getContext() {
        if (actualContext == null) {
            actualContext = CONTEXTS.get(defaultStartMethod());
        }
        return actualContext;
    }

    /**
     * The shared context of a start method; {@code null} gives {@link #getContext()}.
     *
     * @throws IllegalArgumentException for {@code fork} (with the reason and the alternatives) or an unknown name
     */
    public static BaseContext getContext(String method) {
        if (method == null) {
            return getContext();
        }
        BaseContext context = CONTEXTS.get(method.toLowerCase(Locale.ROOT));
        if (context != null) {
            return context;
        }
        throw unknownStartMethod(method);
    }

    /**
     * A new context of its own for a start method, with default settings: not the shared one of
     * {@link #getContext(String)}, so settings changed on it affect nobody else (what a framework or a test that
     * owns its configuration wants). Close it when done, to stop its idle spares.
     *
     * <pre>{@code
     * try (BaseContext ctx = Multiprocess.newContext("spawn")) {
     *     ctx.setJvmArguments(List.of("-Xmx256m"));
     *     ctx.process(() -> work()).start();
     * }
     * }</pre>
     *
     * @throws IllegalArgumentException for {@code fork} (with the reason and the alternatives) or an unknown name
     */
    public static BaseContext newContext(String method) {
        String name = method == null ? defaultStartMethod() : method.toLowerCase(Locale.ROOT);
        BaseContext prototype = CONTEXTS.get(name);
        if (prototype == null) {
            throw unknownStartMethod(method);
        }
        return prototype.newEmptyCopy();
    }

    private static IllegalArgumentException unknownStartMethod(String method) {
        if (method.equalsIgnoreCase("fork")) {
            return new IllegalArgumentException("the 'fork' start method cannot exist on a JVM: fork() copies only "
                    + "the calling thread, so the child would lack the garbage collector, JIT compiler and every "
                    + "other JVM thread. Use 'forkserver' (warm child JVMs handed out at once, the default on Linux "
                    + "and macOS) or 'spawn' (a fresh JVM per process).");
        }
        return new IllegalArgumentException("cannot find context for '" + method + "': the start methods are "
                + getAllStartMethods());
    }

    /** Sets the start method once; see {@link #setStartMethod(String, boolean)}. */
    public static void setStartMethod(String method) {
        setStartMethod(method, false);
    }

    /**
     * Sets the start method of the default context.
     *
     * @param method {@code forkserver} or {@code spawn}; with {@code force}, {@code null} unsets it
     * @param force change it even though the default context was already fixed (by this, {@link #getContext()}
     *     or {@link #getStartMethod()})
     * @throws IllegalStateException if the context was already fixed and {@code force} is false
     * @throws IllegalArgumentException for an unknown or impossible method
     */
    public static synchronized void setStartMethod(String method, boolean force) {
        if (actualContext != null && !force) {
            throw new IllegalStateException("context has already been set (start method '"
                    + actualContext.getStartMethod() + "'); call setStartMethod(method, true) to change it");
        }
        if (method == null && force) {
            actualContext = null;
            return;
        }
        actualContext = getContext(method == null ? defaultStartMethod() : method);
    }

    /** The start method of the default context, fixing it to the platform default if none was set. */
    public static String getStartMethod() {
        return getStartMethod(false);
    }

    /** As {@link #getStartMethod()}, but with {@code allowNone} returns null (and fixes nothing) when unset. */
    public static synchronized String getStartMethod(boolean allowNone) {
        if (actualContext == null) {
            if (allowNone) {
                return null;
            }
            actualContext = CONTEXTS.get(defaultStartMethod());
        }
        return actualContext.getStartMethod();
    }

    /** The start methods available here, the default first. */
    public static List<String> getAllStartMethods() {
        List<String> methods = new ArrayList<>(List.of(ForkServerContext.METHOD, SpawnContext.METHOD));
        methods.remove(defaultStartMethod());
        methods.add(0, defaultStartMethod());
        return List.copyOf(methods);
    }

    /** Sets the java binary of the shared contexts' children; {@code null} restores this JVM's own. */
    public static void setExecutable(Path java) {
        CONTEXTS.values().forEach(context -> context.setExecutable(java));
    }

    /** As {@link #setExecutable(Path)}, from a path string. */
    public static void setExecutable(String java) {
        setExecutable(java == null ? null : Path.of(java));
    }

    /** Sets the classes the shared forkserver context preloads; see {@link ForkServerContext#setForkserverPreload}. */
    public static void setForkserverPreload(List<String> classNames) {
        forkServer().setForkserverPreload(classNames);
    }

    /** The number of CPUs this JVM may use. */
    public static int cpuCount() {
        return Runtime.getRuntime().availableProcessors();
    }

    /** The process this code runs in: {@code MainProcess} in the main JVM, the process object in a child. */
    public static MpProcess currentProcess() {
        return MpProcess.current();
    }

    /** The parent of this process, or empty in the main process. */
    public static Optional<MpProcess> parentProcess() {
        return Optional.ofNullable(MpProcess.parent());
    }

    /** The children of this process that are still alive; finished ones are reaped (forgotten). */
    public static List<MpProcess> activeChildren() {
        return MpProcess.activeChildren();
    }

    /** The library's logger ({@code io.multiprocess}), routed through SLF4J. */
    public static Logger getLogger() {
        return MpLogger.INSTANCE;
    }

    /** Also prints the library's log records at INFO and above to stderr, in this and new child processes. */
    public static Logger logToStderr() {
        return logToStderr(Level.INFO);
    }

    /** Also prints the library's log records at {@code level} and above to stderr, here and in new children. */
    public static Logger logToStderr(Level level) {
        MpLogger.setStderrLevel(level);
        return MpLogger.INSTANCE;
    }

    /**
     * Allows connection objects to be sent to other processes (through queues, pipes and process arguments).
     * Off by default: a sent connection gives its receiver a channel into this process.
     */
    public static void allowConnectionPickling() {
        ContextDefaults.allowConnectionPickling();
    }

    public static boolean isConnectionPicklingAllowed() {
        return ContextDefaults.connectionPicklingAllowed();
    }

    /**
     * Does nothing, and is kept so code ported from Python reads the same: Python needs it for frozen Windows
     * executables, while a child JVM always starts from the parent's classpath with its own main class.
     */
    public static void freezeSupport() {
        // Nothing to prepare on a JVM.
    }

    /** In a child: the start method and settings the parent used become this JVM's defaults. */
    static synchronized void inheritFromParent(LaunchSettings settings, Reducer reducer) {
        BaseContext context = getContext(settings.startMethod());
        context.applyInheritedSettings(settings, reducer);
        if (context instanceof ForkServerContext forkServer) {
            forkServer.setForkserverPreload(settings.preload());
        }
        actualContext = context;
    }

    private static ForkServerContext forkServer() {
        return (ForkServerContext) CONTEXTS.get(ForkServerContext.METHOD);
    }

    private static String defaultStartMethod() {
        boolean windows = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
        return windows ? SpawnContext.METHOD : ForkServerContext.METHOD;
    }
}
