package io.multiprocess.managers;

import io.multiprocess.connection.Connection;
import io.multiprocess.connection.Pipe;
import io.multiprocess.errors.EndOfStreamException;
import io.multiprocess.errors.MultiprocessException;
import io.multiprocess.internal.CurrentProcess;
import io.multiprocess.reduction.Reducer;
import io.multiprocess.sharedctypes.CType;
import io.multiprocess.synchronize.Acquirable;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A manager (Python's {@code SyncManager}): a server process that holds objects, and proxies through which every
 * process that receives them reads and changes those objects. Get one with {@code ctx.manager()}, or configure one
 * with {@link #builder()}.
 *
 * <pre>{@code
 * try (SyncManager manager = ctx.manager()) {
 *     Map<String, Integer> scores = manager.dict();
 *     List<String> log = manager.list();
 *     MpProcess child = ctx.process(() -> {
 *         scores.put("child", 42);
 *         log.add("child was here");
 *     });
 *     child.start();
 *     child.join();
 *     scores.get("child");   // 42
 * }                          // shuts the server process down
 * }</pre>
 *
 * <p><b>Proxies are remote calls</b>, not shared memory: every method call sends the method and its reduced
 * arguments to the server, which calls the object and sends back the reduced result or its exception (same type
 * and message, the server's stack trace in a {@link RemoteException} cause). So values are copied in and out
 * ({@code dict.get(k).add(x)} changes a copy; put it back), collection views and iterators are snapshots, and it
 * works across machines (see {@link ManagerBuilder#address}). A proxy may be sent to any process (as an argument,
 * in a queue item, inside another proxy's object) and stays a proxy of the same object: a dict stored in a list
 * comes back as a working dict proxy, and changes through it are seen by everyone.
 *
 * <p><b>Lifetime</b>: objects live until the manager shuts down (unlike Python, there is no reference counting:
 * a long-running manager should hold long-lived objects, e.g. clear a dict rather than create one per job).
 * {@link #shutdown()} (or {@link #close()}) stops the server process; proxies then fail with a
 * {@link MultiprocessException} saying the manager is not running.
 */
public final class SyncManager implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private final Endpoint endpoint;
    private final Wire.ServerInfo info;
    private final ManagerHost.ServerProcess process;
    private final ManagerServer server;
    private final AtomicBoolean shutdown = new AtomicBoolean();

    private SyncManager(Endpoint endpoint, Wire.ServerInfo info, ManagerHost.ServerProcess process,
            ManagerServer server) {
        this.endpoint = endpoint;
        this.info = info;
        this.process = process;
        this.server = server;
    }

    /** A builder to register types, choose an address and key, and start or connect. */
    public static ManagerBuilder builder() {
        return new ManagerBuilder();
    }

    static SyncManager startProcess(ManagerHost host, ServerSpec spec, Reducer reducer) {
        Pipe pipe = Pipe.open(false, host.getReducer());
        Connection reader = pipe.first();
        Connection writer = pipe.second();
        ManagerHost.ServerProcess process = null;
        Object report;
        try {
            process = host.startServer("SyncManager-" + COUNTER.incrementAndGet(),
                    childHost -> ManagerServer.runAsProcess(spec, writer, childHost));
            writer.close();
            if (!reader.poll(START_TIMEOUT)) {
                throw new MultiprocessException("the manager process " + process.name() + " did not report "
                        + "that it listens within " + START_TIMEOUT.toSeconds() + " s");
            }
            report = reader.recv();
        } catch (EndOfStreamException e) {
            process.join(Duration.ofSeconds(10));
            stop(process);
            throw new MultiprocessException("the manager process " + process.name() + " exited before it "
                    + "listened (exit code " + process.exitCode() + "); see its output above", e);
        } catch (RuntimeException e) {
            stop(process);
            throw e;
        } finally {
            writer.close();
            reader.close();
        }
        if (report instanceof Wire.StartFailed failed) {
            stop(process);
            throw new MultiprocessException("the manager process could not start: " + failed.message());
        }
        Wire.ServerInfo info = (Wire.ServerInfo) report;
        byte[] key = spec.authkey() != null ? spec.authkey() : CurrentProcess.authkey();
        return new SyncManager(Endpoint.register(info.serverId(), info.address(), key, reducer), info, process, null);
    }

    static SyncManager startHere(ServerSpec spec, Reducer reducer, ManagerHost host) {
        ManagerServer server = ManagerServer.start(spec, host);
        Wire.ServerInfo info = server.info();
        byte[] key = spec.authkey() != null ? spec.authkey() : CurrentProcess.authkey();
        return new SyncManager(Endpoint.register(info.serverId(), info.address(), key, reducer), info, null, server);
    }

    static SyncManager connectTo(SocketAddress address, byte[] authkey, Reducer reducer) {
        byte[] key = authkey != null ? authkey : CurrentProcess.authkey();
        Endpoint probe = Endpoint.probe(address, key, reducer);
        Wire.Reply reply = probe.call(new Wire.Request(Wire.Op.HELLO, 0, null, null), "connect");
        probe.closeIdle();
        Wire.ServerInfo info = (Wire.ServerInfo) reply.value();
        return new SyncManager(Endpoint.register(info.serverId(), address, key, reducer), info, null, null);
    }

    /** A new shared map, empty (Python's {@code manager.dict()}); insertion-ordered, null keys and values allowed. */
    public <K, V> Map<K, V> dict() {
        return create("dict");
    }

    /** A new shared map holding a copy of {@code initial} (Python's {@code manager.dict(mapping)}). */
    public <K, V> Map<K, V> dict(Map<? extends K, ? extends V> initial) {
        Map<K, V> map = dict();
        map.putAll(initial);
        return map;
    }

    /** A new shared list, empty (Python's {@code manager.list()}). */
    public <E> List<E> list() {
        return create("list");
    }

    /** A new shared list holding a copy of {@code initial} (Python's {@code manager.list(sequence)}). */
    public <E> List<E> list(Collection<? extends E> initial) {
        List<E> list = list();
        list.addAll(initial);
        return list;
    }

    /** A new shared set, empty, insertion-ordered (Python 3.13's {@code manager.set()}). */
    public <E> Set<E> set() {
        return create("set");
    }

    /** A new shared set holding a copy of {@code initial}. */
    public <E> Set<E> set(Collection<? extends E> initial) {
        Set<E> set = set();
        set.addAll(initial);
        return set;
    }

    /** A new namespace without attributes (Python's {@code manager.Namespace()}). */
    public Namespace namespace() {
        return create("namespace");
    }

    /**
     * A new unbounded queue in the server (Python's {@code manager.Queue()}), as a {@link BlockingQueue}: {@code put}
     * and {@code take} wait in the server. Unlike {@code ctx.queue()}, it lives in the manager, so processes on other
     * machines can use it; {@code iterator()} is a snapshot.
     */
    public <E> BlockingQueue<E> queue() {
        return create("queue", 0);
    }

    /** A new queue holding at most {@code capacity} items (Python's {@code manager.Queue(maxsize)}); 0: unbounded. */
    public <E> BlockingQueue<E> queue(int capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity must be 0 (unbounded) or more: " + capacity);
        }
        return create("queue", capacity);
    }

    /**
     * A new unbounded queue in the server that counts unfinished items (Python's {@code manager.JoinableQueue()});
     * see {@link JoinableQueueProxy}.
     */
    public <E> JoinableQueueProxy<E> joinableQueue() {
        return create("joinableQueue", 0);
    }

    /** As {@link #joinableQueue()}, holding at most {@code capacity} items; 0: unbounded. */
    public <E> JoinableQueueProxy<E> joinableQueue(int capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity must be 0 (unbounded) or more: " + capacity);
        }
        return create("joinableQueue", capacity);
    }

    /**
     * A new array in the server (Python's {@code manager.Array(typecode, size)}): a fixed-size {@link List} of
     * {@code size} elements of {@code type}, zero ({@code 0}, {@code false}, {@code '\0'}) for the boxed primitive
     * types, else null. {@code set} works; {@code add} and {@code remove} throw {@link UnsupportedOperationException};
     * a value of another type throws {@link ArrayStoreException}.
     */
    public <E> List<E> array(Class<E> type, int size) {
        if (size < 0) {
            throw new IllegalArgumentException("an array's size must not be negative: " + size);
        }
        return create("array", type.getName(), size);
    }

    /** A new fixed-size array in the server holding a copy of {@code initial} (Python's {@code Array(code, seq)}). */
    public <E> List<E> array(Class<E> type, Collection<? extends E> initial) {
        return create("array", type.getName(), new java.util.ArrayList<>(initial));
    }

    /**
     * As {@link #array(Class, int)}, the element type named by the token of shared arrays (Python's
     * {@code manager.Array('d', 10)}): {@code List<Double> samples = manager.array(CType.DOUBLE, 10);}.
     */
    public <E> List<E> array(CType<?, ?, E, ?> type, int size) {
        return array(type.boxed(), size);
    }

    /** As {@link #array(Class, Collection)}, the element type named by the token of shared arrays. */
    public <E> List<E> array(CType<?, ?, E, ?> type, Collection<? extends E> initial) {
        return array(type.boxed(), initial);
    }

    /**
     * A new lock in the server (Python's {@code manager.Lock()}). It is not owned by a thread: any process may release
     * it, and releasing it unlocked throws {@link IllegalStateException}. On one machine {@code ctx.lock()} (shared
     * memory, released when its holder dies) is much cheaper; this one serves processes on other machines. A process
     * that dies holding it does not release it.
     */
    public Acquirable lock() {
        return create("lock", new Object[0]);
    }

    /**
     * A new reentrant lock in the server (Python's {@code manager.RLock()}), owned by the thread that acquired it:
     * that thread may acquire it again (release as many times), and a release by another thread throws
     * {@link IllegalStateException}. Its proxy calls over one connection per calling thread (Python's thread-local
     * proxy connection), served by one server thread, which owns the lock there. If that connection closes (the
     * thread's process died, or the manager was left), the server releases what the thread held.
     */
    public Acquirable rlock() {
        return create("rlock", new Object[0]);
    }

    /** A new condition in the server over a new {@link #rlock()} of its own (Python's {@code manager.Condition()}). */
    public ConditionProxy condition() {
        return create("condition", new Object[0]);
    }

    /**
     * A new condition in the server over {@code lock}, an {@link #rlock()} of this manager (Python's
     * {@code manager.Condition(lock)}): holding either holds both.
     *
     * @throws IllegalArgumentException if {@code lock} is not an rlock of this manager (the server's exception)
     */
    public ConditionProxy condition(Acquirable lock) {
        Objects.requireNonNull(lock, "lock");
        return create("condition", new Object[] {lock});
    }

    /** A new semaphore in the server with {@code value} permits (Python's {@code manager.Semaphore(value)}). */
    public Acquirable semaphore(int value) {
        return create("semaphore", checkValue(value));
    }

    /**
     * A new semaphore in the server that may not be released above {@code value} (Python's
     * {@code manager.BoundedSemaphore(value)}): releasing it more throws {@link IllegalStateException}.
     */
    public Acquirable boundedSemaphore(int value) {
        return create("boundedSemaphore", checkValue(value));
    }

    /**
     * A new pool of {@code processes} worker processes in the server (Python's {@code manager.Pool(n)}), children of
     * the server's process, usable from every process holding the proxy; see {@link PoolProxy}. The server's process
     * is daemonic yet may have these children: they end with it, when the manager shuts down or its parent exits.
     */
    public PoolProxy pool(int processes) {
        if (processes < 1) {
            throw new IllegalArgumentException("a pool needs at least 1 process, got " + processes);
        }
        return create("pool", processes);
    }

    /** A new event in the server, not set (Python's {@code manager.Event()}). */
    public EventProxy event() {
        return create("event", new Object[0]);
    }

    /** A new barrier in the server for {@code parties} parties (Python's {@code manager.Barrier(parties)}). */
    public BarrierProxy barrier(int parties) {
        if (parties < 1) {
            throw new IllegalArgumentException("a barrier needs at least 1 party, got " + parties);
        }
        return create("barrier", parties);
    }

    /**
     * A new value in the server holding {@code initial} (Python's {@code manager.Value(typecode, value)}; the type is
     * the value's own).
     */
    public <T> ValueProxy<T> value(T initial) {
        return create("value", new Object[] {initial});
    }

    private static int checkValue(int value) {
        if (value < 0) {
            throw new IllegalArgumentException("a semaphore's value must not be negative: " + value);
        }
        return value;
    }

    /**
     * A new object of a {@linkplain ManagerBuilder#register registered} type, made by its factory in the server;
     * returns a proxy implementing the registered interface (Python's {@code manager.TypeId()}).
     *
     * @throws IllegalArgumentException if the server knows no such type (the server's exception, see
     *     {@link RemoteException})
     */
    @SuppressWarnings("unchecked")
    public <T> T create(String typeid) {
        return (T) create(typeid, new Object[0]);
    }

    /** As {@link #create(String)}, checking the proxy implements {@code api}. */
    public <T> T create(String typeid, Class<T> api) {
        return api.cast(create(typeid));
    }

    @SuppressWarnings("unchecked")
    private <T> T create(String typeid, Object... args) {
        if (shutdown.get()) {
            throw new MultiprocessException("this manager (" + Endpoint.describe(info.address()) + ") was shut down; "
                    + "start a new one");
        }
        Objects.requireNonNull(typeid, "typeid");
        Wire.Reply reply = endpoint.call(new Wire.Request(Wire.Op.CREATE, 0, typeid, args), "creating a '"
                + typeid + "'");
        if (reply.failure() != null) {
            throw sneaky(ProxyHandler.rebuild(reply.failure(), null, endpoint.describe()));
        }
        return (T) reply.value();
    }

    private static RuntimeException sneaky(Throwable failure) {
        if (failure instanceof RuntimeException runtime) {
            return runtime;
        }
        if (failure instanceof Error error) {
            throw error;
        }
        return new MultiprocessException(failure.toString(), failure);
    }

    /** Where the server listens (Python's {@code manager.address}). */
    public SocketAddress address() {
        return info.address();
    }

    /** The pid of the server's process (this JVM's for {@link ManagerBuilder#startInProcess(ManagerHost)}). */
    public long serverPid() {
        return info.pid();
    }

    /** The process running the server, if this manager started one; empty when it runs here or was connected to. */
    public java.util.Optional<ProcessHandle> process() {
        return process == null ? java.util.Optional.empty() : java.util.Optional.ofNullable(process.handle());
    }

    /**
     * Stops the server (Python's {@code manager.shutdown()}): its process exits (killed if it has not within 10 s)
     * and its objects are gone; proxies fail from then on. Calling it again does nothing. A manager that was
     * {@linkplain ManagerBuilder#connect() connected to} is not stopped: it belongs to whoever started it, and this
     * only closes this JVM's idle connections to it.
     */
    public void shutdown() {
        if (!shutdown.compareAndSet(false, true)) {
            return;
        }
        if (process != null) {
            try {
                endpoint.call(new Wire.Request(Wire.Op.SHUTDOWN, 0, null, null), "shutdown");
            } catch (RuntimeException e) {
                // Already gone: then there is nothing to ask.
            }
            stop(process);
            Endpoint.forget(info.serverId());
        } else if (server != null) {
            server.shutdown();
        } else {
            endpoint.closeAll();
        }
    }

    /** As {@link #shutdown()}, for try-with-resources. */
    @Override
    public void close() {
        shutdown();
    }

    private static void stop(ManagerHost.ServerProcess process) {
        if (process == null || process.pid() == null) {
            return;                                   // never started: start() itself failed
        }
        if (!process.join(Duration.ofSeconds(10))) {
            process.terminate();
            if (!process.join(Duration.ofSeconds(5))) {
                process.kill();
                process.join(Duration.ofDays(1));
            }
        }
    }

    @Override
    public String toString() {
        return "SyncManager[" + Endpoint.describe(info.address()) + ", pid " + info.pid()
                + (shutdown.get() ? ", shut down" : "") + "]";
    }
}
