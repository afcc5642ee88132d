package io.multiprocess.managers;

import io.multiprocess.connection.Client;
import io.multiprocess.connection.Connection;
import io.multiprocess.errors.AuthenticationException;
import io.multiprocess.errors.MultiprocessException;
import io.multiprocess.reduction.Reducer;
import java.io.UncheckedIOException;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * How this JVM reaches one manager server: its address, the key, the reducer, and idle authenticated connections.
 * A call borrows a connection (or opens one), sends the request, waits for the reply and gives the connection back,
 * so threads calling at once use connections of their own and a call that blocks in the server (a queue's
 * {@code take}) holds up nobody else. One endpoint per server per JVM, shared by every proxy of that server.
 */
final class Endpoint {

    private static final int MAX_IDLE = 8;

    /** Endpoints by server id: the address and key this JVM reached each server with. */
    private static final Map<String, Endpoint> KNOWN = new ConcurrentHashMap<>();

    final String serverId;
    final SocketAddress address;
    final byte[] authkey;
    final Reducer reducer;
    private final ConcurrentLinkedDeque<Connection> idle = new ConcurrentLinkedDeque<>();
    /** The connection each thread calls owned objects (an rlock, a condition) over, kept while the thread lives. */
    private final Map<Thread, Connection> pinned = new ConcurrentHashMap<>();

    private Endpoint(String serverId, SocketAddress address, byte[] authkey, Reducer reducer) {
        this.serverId = serverId;
        this.address = address;
        this.authkey = authkey;
        this.reducer = reducer;
    }

    /** The endpoint of a server this JVM started or connected to, with the address and key it used. */
    static Endpoint register(String serverId, SocketAddress address, byte[] authkey, Reducer reducer) {
        return KNOWN.compute(serverId, (id, old) -> old != null && old.address.equals(address)
                && java.util.Arrays.equals(old.authkey, authkey) ? old : new Endpoint(id, address, authkey, reducer));
    }

    /** The endpoint for a token: the one this JVM already knows for its server, else one from the token. */
    static Endpoint forToken(String serverId, SocketAddress address, byte[] authkey, Reducer reducer) {
        Endpoint known = KNOWN.get(serverId);
        if (known != null) {
            return known;
        }
        return KNOWN.computeIfAbsent(serverId, id -> new Endpoint(id, address, authkey, reducer));
    }

    /** An endpoint not remembered: for asking an address who its server is. */
    static Endpoint probe(SocketAddress address, byte[] authkey, Reducer reducer) {
        return new Endpoint("?", address, authkey, reducer);
    }

    /** Sends {@code request} and returns the reply (a failure in the server is the reply's, not thrown here). */
    Wire.Reply call(Wire.Request request, String what) {
        Connection connection = idle.pollFirst();
        if (connection == null) {
            connection = open(what);
        }
        boolean reusable = false;
        try {
            Wire.send(connection, request);
            Wire.Reply reply = connection.recv();
            reusable = true;
            return reply;
        } catch (UncheckedIOException e) {
            throw new MultiprocessException("lost the connection to the manager at " + describe() + " during "
                    + what + ": the manager was shut down or its process died", e);
        } finally {
            if (reusable && idle.size() < MAX_IDLE) {
                idle.addFirst(connection);
            } else {
                connection.close();
            }
        }
    }

    /**
     * As {@link #call}, over the calling thread's own connection (Python's thread-local {@code BaseProxy}
     * connection): the server serves it on one thread, so an object owned by a thread there (a reentrant lock) has
     * one owner per calling thread. The connection stays open while the thread lives; connections of threads that
     * ended are closed when a thread opens a new one, and the server then releases what their threads held.
     */
    Wire.Reply callPinned(Wire.Request request, String what) {
        Thread thread = Thread.currentThread();
        Connection connection = pinned.get(thread);
        if (connection == null) {
            closeConnectionsOfEndedThreads();
            connection = open(what);
            pinned.put(thread, connection);
        }
        boolean keep = false;
        try {
            Wire.send(connection, request);
            keep = true;
            return connection.recv();
        } catch (io.multiprocess.reduction.ReductionException e) {
            // Reduced before anything was sent, or a whole reply this side cannot read: the connection, and what
            // this thread holds in the server, stay as they were.
            keep = true;
            throw e;
        } catch (UncheckedIOException e) {
            keep = false;
            throw new MultiprocessException("lost the connection to the manager at " + describe() + " during "
                    + what + ": the manager was shut down or its process died (what this thread held there is "
                    + "released)", e);
        } catch (RuntimeException | Error e) {
            keep = false;
            throw e;
        } finally {
            if (!keep) {
                pinned.remove(thread, connection);
                connection.close();
            }
        }
    }

    private void closeConnectionsOfEndedThreads() {
        pinned.entrySet().removeIf(entry -> {
            if (entry.getKey().isAlive()) {
                return false;
            }
            entry.getValue().close();
            return true;
        });
    }

    private Connection open(String what) {
        try {
            return Client.connect(address, authkey, reducer);
        } catch (AuthenticationException e) {
            throw new AuthenticationException("the manager at " + describe() + " refused this process's key ("
                    + what + "): " + e.getMessage());
        } catch (UncheckedIOException e) {
            throw new MultiprocessException("cannot reach the manager at " + describe() + " for " + what
                    + ": it is not running (it was shut down, or its process exited): " + e.getMessage(), e);
        }
    }

    /** Closes the idle connections; the next call opens a new one. */
    void closeIdle() {
        Connection connection;
        while ((connection = idle.pollFirst()) != null) {
            connection.close();
        }
    }

    /** Closes the idle connections and every thread's own one (the server releases what those threads held). */
    void closeAll() {
        closeIdle();
        pinned.values().forEach(Connection::close);
        pinned.clear();
    }

    /** Forgets a server that was shut down, closing its idle connections. */
    static void forget(String serverId) {
        Endpoint endpoint = KNOWN.remove(serverId);
        if (endpoint != null) {
            endpoint.closeAll();
        }
    }

    String describe() {
        return describe(address);
    }

    static String describe(SocketAddress address) {
        return address instanceof UnixDomainSocketAddress unix ? "UNIX socket " + unix.getPath() : "TCP " + address;
    }
}
