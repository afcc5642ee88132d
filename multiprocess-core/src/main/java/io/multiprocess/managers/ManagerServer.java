package io.multiprocess.managers;

import io.multiprocess.connection.Connection;
import io.multiprocess.connection.Listener;
import io.multiprocess.errors.AuthenticationException;
import io.multiprocess.internal.CurrentProcess;
import io.multiprocess.internal.MpLogger;
import io.multiprocess.internal.hosting.Messages;
import io.multiprocess.reduction.ReductionException;
import io.multiprocess.reduction.SharedHandle;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * A manager server (Python's {@code managers.Server}): a {@link Listener}, one thread per connected proxy connection,
 * and the table of objects by id. Each request is answered on the connection it came from, in order.
 *
 * <p>Objects live until the server shuts down: there is no reference counting (see docs/shared-objects.md).
 */
final class ManagerServer {

    private static final Logger LOG = MpLogger.of(ManagerServer.class);
    private static final Map<String, ManagerServer> RUNNING = new ConcurrentHashMap<>();
    private static final AtomicInteger THREADS = new AtomicInteger();

    private record Entry(Object referent, String typeid, List<Class<?>> interfaces, SharedHandle proxy) {
    }

    private final String serverId = UUID.randomUUID().toString();
    private final Listener listener;
    private final String reducerName;
    private final ManagerTypes types;
    private final Map<Long, Entry> objects = new ConcurrentHashMap<>();
    private final AtomicLong nextId = new AtomicLong();
    private final Map<String, Map<String, Method>> methodsByType = new ConcurrentHashMap<>();
    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
    private final Set<Thread> workers = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final CountDownLatch done = new CountDownLatch(1);

    private ManagerServer(Listener listener, String reducerName, List<Registration> registrations,
            ManagerHost host) {
        this.listener = listener;
        this.reducerName = reducerName;
        this.types = new ManagerTypes(registrations, host);
    }

    /** Binds the listener and starts accepting connections. */
    static ManagerServer start(ServerSpec spec, ManagerHost host) {
        Listener listener = Listener.bind(spec.address(), spec.authkey());
        listener.setReducer(Messages.reducer(spec.reducer()));
        ManagerServer server = new ManagerServer(listener, spec.reducer(), spec.registrations(), host);
        RUNNING.put(server.serverId, server);
        Thread acceptor = new Thread(server::acceptLoop, "multiprocess-manager-accept-" + THREADS.incrementAndGet());
        acceptor.setDaemon(true);
        acceptor.start();
        return server;
    }

    /** What a manager's process runs: start, report to the parent through {@code report}, serve until shut down. */
    static void runAsProcess(ServerSpec spec, Connection report, ManagerHost host) throws InterruptedException {
        // This process is daemonic (it ends with its parent), and may have children all the same, a pool's workers:
        // they end with it.
        io.multiprocess.internal.launch.ServiceProcess.allowChildren();
        ManagerServer server;
        try {
            server = start(spec, host);
        } catch (RuntimeException e) {
            report.send(new Wire.StartFailed(e.toString()));
            report.close();
            return;
        }
        report.send(server.info());
        report.close();
        server.done.await();
    }

    /** The server running in this JVM with this id, or null. */
    static ManagerServer running(String serverId) {
        return RUNNING.get(serverId);
    }

    Wire.ServerInfo info() {
        return new Wire.ServerInfo(serverId, listener.address(), ProcessHandle.current().pid());
    }

    String serverId() {
        return serverId;
    }

    boolean isStopped() {
        return stopped.get();
    }

    private void acceptLoop() {
        while (!stopped.get()) {
            Connection connection;
            try {
                connection = listener.accept();
            } catch (AuthenticationException e) {
                // The acceptor has counted it and logs a summary at most every 10 s.
                LOG.debug("manager {}: {}", serverId, e.getMessage());
                continue;
            } catch (IllegalStateException | UncheckedIOException e) {
                if (stopped.get() || listener.isClosed()) {
                    return;
                }
                LOG.warn("manager {}: accept failed: {}", serverId, e.getMessage());
                continue;
            }
            connections.add(connection);
            if (stopped.get()) {
                connection.close();
                return;
            }
            Thread thread = new Thread(() -> serve(connection), "multiprocess-manager-" + THREADS.incrementAndGet());
            thread.setDaemon(true);
            workers.add(thread);
            thread.start();
        }
    }

    private void serve(Connection connection) {
        try {
            while (!stopped.get()) {
                Wire.Request request;
                try {
                    request = connection.recv();
                } catch (ReductionException e) {
                    reply(connection, new Wire.Reply(null, failure(e)));
                    continue;
                }
                reply(connection, handle(request));
                if (request.op() == Wire.Op.SHUTDOWN) {
                    shutdown();
                    return;
                }
            }
        } catch (UncheckedIOException | IllegalStateException e) {
            // The proxy's process closed the connection, exited, or the server is shutting down.
        } finally {
            connections.remove(connection);
            connection.close();
            releaseHeldByThisThread();
            workers.remove(Thread.currentThread());
        }
    }

    /**
     * This thread served one connection, which is closed: its caller (a thread of some process) is gone, so the
     * rlocks and conditions it holds through this thread are released rather than held forever.
     */
    private void releaseHeldByThisThread() {
        for (Entry entry : objects.values()) {
            if (entry.referent() instanceof SyncObjects.ThreadOwned owned) {
                owned.releaseHeldByCurrentThread();
            }
        }
    }

    private void reply(Connection connection, Wire.Reply reply) {
        try {
            Wire.send(connection, reply);
        } catch (ReductionException e) {
            Wire.send(connection, new Wire.Reply(null, failure(new ReductionException("the result cannot be sent "
                    + "back from the manager: " + e.getMessage(), e))));
        }
    }

    private Wire.Reply handle(Wire.Request request) {
        try {
            return switch (request.op()) {
                case HELLO -> Wire.Reply.of(info());
                case CREATE -> Wire.Reply.of(create(request.name(), request.args()));
                case CALL -> Wire.Reply.of(dispatch(request.id(), request.name(), request.args()));
                case SHUTDOWN -> Wire.Reply.of(null);
            };
        } catch (Throwable e) {
            return new Wire.Reply(null, failure(e));
        }
    }

    /** Makes a new object of {@code typeid} and returns a proxy for it (which travels as its token). */
    SharedHandle create(String typeid, Object[] args) {
        ManagerTypes.Made made;
        if (typeid.equals("condition") && args != null && args.length == 1) {
            // A condition over a lock this server already holds: made here, where the lock's object is.
            made = new ManagerTypes.Made(new SyncObjects.ConditionObject(rlockOf(args[0])), ConditionProxy.class);
        } else {
            made = types.make(typeid, args == null ? new Object[0] : args, serverId, reducerName);
        }
        Object referent = made.referent();
        List<Class<?>> interfaces = List.of(made.api());
        long id = nextId.incrementAndGet();
        ManagerToken token = new ManagerToken(serverId, listener.address(), id, typeid,
                interfaces.stream().map(Class::getName).toList(), reducerName, null);
        Entry entry = new Entry(referent, typeid, interfaces, ProxyHandler.localProxy(this, token, interfaces));
        objects.put(id, entry);
        return entry.proxy();
    }

    /** The server's rlock behind {@code lock}, a proxy of an rlock of this manager (for a condition over it). */
    private SyncObjects.RLockObject rlockOf(Object lock) {
        ProxyHandler handler = ProxyHandler.of(lock);
        Entry entry = handler != null && handler.managerToken().serverId().equals(serverId)
                ? objects.get(handler.managerToken().id()) : null;
        if (entry == null || !(entry.referent() instanceof SyncObjects.RLockObject rlock)) {
            throw new IllegalArgumentException("the lock of a manager's condition must be an rlock() of the same "
                    + "manager, not " + (entry != null ? "its '" + entry.typeid() + "'" : lock == null ? "null"
                    : "a " + lock.getClass().getName()));
        }
        return rlock;
    }

    /** The proxy in this process for object {@code id}, for a token that came home. */
    SharedHandle proxyFor(long id) {
        Entry entry = objects.get(id);
        if (entry == null) {
            throw new NoSuchElementException("manager " + Endpoint.describe(listener.address()) + " has no object #"
                    + id + (stopped.get() ? ": it was shut down" : ""));
        }
        return entry.proxy();
    }

    /** Calls method {@code signature} of object {@code id}; the method's own exception is thrown as it is. */
    Object dispatch(long id, String signature, Object[] args) throws Throwable {
        if (stopped.get()) {
            throw new IllegalStateException("the manager at " + Endpoint.describe(listener.address())
                    + " was shut down");
        }
        Entry entry = objects.get(id);
        if (entry == null) {
            throw new NoSuchElementException("this manager has no object #" + id);
        }
        Method method = methodsByType.computeIfAbsent(entry.typeid(), typeid -> exposedMethods(entry.interfaces()))
                .get(signature);
        if (method == null) {
            throw new UnsupportedOperationException("'" + entry.typeid() + "' does not expose " + signature
                    + "; its proxies implement " + entry.interfaces().stream().map(Class::getName).toList());
        }
        Object referent = entry.referent();
        Object[] arguments = args == null ? new Object[0] : args;
        if (referent instanceof Collection<?> || referent instanceof Map<?, ?>) {
            Object snapshot = snapshot(referent, method.getName(), arguments);
            if (snapshot != null) {
                return snapshot;
            }
        }
        try {
            return method.invoke(referent, arguments);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /** Copies of collection views, taken atomically; null for a method that is not a view. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object snapshot(Object referent, String name, Object[] args) {
        synchronized (referent) {
            switch (name) {
                case "iterator", "listIterator":
                    return new ArrayList<>((Collection<?>) referent);
                case "subList":
                    return new ArrayList<>(((List<?>) referent).subList((Integer) args[0], (Integer) args[1]));
                case "keySet":
                    return new LinkedHashSet<>(((Map<?, ?>) referent).keySet());
                case "values":
                    return new ArrayList<>(((Map<?, ?>) referent).values());
                case "entrySet":
                    Set<Map.Entry<?, ?>> entries = new LinkedHashSet<>();
                    for (Map.Entry<?, ?> e : ((Map<?, ?>) referent).entrySet()) {
                        entries.add(new SnapshotEntry<>(e.getKey(), e.getValue()));
                    }
                    return entries;
                case "drainTo":
                    List<Object> drained = new ArrayList<>();
                    BlockingQueue queue = (BlockingQueue) referent;
                    if (args.length == 2) {
                        queue.drainTo(drained, (Integer) args[1]);
                    } else {
                        queue.drainTo(drained);
                    }
                    return drained;
                default:
                    return null;
            }
        }
    }

    private static Map<String, Method> exposedMethods(List<Class<?>> interfaces) {
        Map<String, Method> methods = new HashMap<>();
        for (String objectMethod : List.of("equals", "hashCode", "toString")) {
            for (Method method : Object.class.getMethods()) {
                if (method.getName().equals(objectMethod)) {
                    methods.put(ProxyHandler.signature(method), method);
                }
            }
        }
        for (Class<?> api : interfaces) {
            for (Method method : api.getMethods()) {
                if (!java.lang.reflect.Modifier.isStatic(method.getModifiers())) {
                    try {
                        method.setAccessible(true);
                    } catch (RuntimeException e) {
                        // A public method of a public interface needs no help.
                    }
                    methods.putIfAbsent(ProxyHandler.signature(method), method);
                }
            }
        }
        return methods;
    }

    private Wire.Failure failure(Throwable e) {
        StringWriter trace = new StringWriter();
        e.printStackTrace(new PrintWriter(trace));
        return new Wire.Failure(e.getClass().getName(), e.getMessage(), "in process " + ProcessHandle.current().pid()
                + " (" + CurrentProcess.name() + "):\n" + trace);
    }

    /** Stops listening, closes every connection and forgets every object; a process serving it then exits. */
    void shutdown() {
        if (!stopped.compareAndSet(false, true)) {
            return;
        }
        RUNNING.remove(serverId);
        listener.close();
        for (Connection connection : connections) {
            connection.close();
        }
        // Calls waiting in the server (a take, an acquire) end: their callers' connections are closed anyway.
        for (Thread worker : workers) {
            if (worker != Thread.currentThread()) {
                worker.interrupt();
            }
        }
        for (Entry entry : objects.values()) {
            if (entry.referent() instanceof PoolProxy pool) {
                try {
                    pool.terminate();
                } catch (RuntimeException e) {
                    LOG.warn("manager {}: terminating a pool failed: {}", serverId, e.toString());
                }
            }
        }
        objects.clear();
        Endpoint.forget(serverId);
        done.countDown();
    }

    /** Waits until the server was shut down. */
    void awaitShutdown() throws InterruptedException {
        done.await();
    }
}
