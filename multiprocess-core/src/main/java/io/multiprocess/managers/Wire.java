package io.multiprocess.managers;

import io.multiprocess.internal.context.MessageScope;
import java.io.Serializable;
import java.net.SocketAddress;

/** The messages between a proxy and its manager server, each one object sent through the manager's reducer. */
final class Wire {

    private Wire() {
    }

    /** What a request asks for. */
    enum Op { HELLO, CREATE, CALL, SHUTDOWN }

    /**
     * One request: {@code CALL} invokes {@code name} (a method signature, {@code get(java.lang.Object)}) on object
     * {@code id}; {@code CREATE} makes a new object of type id {@code name}; {@code HELLO} asks who the server is.
     */
    record Request(Op op, long id, String name, Object[] args) implements Serializable {
    }

    /** The answer: a value, or the failure the server met. */
    record Reply(Object value, Failure failure) implements Serializable {

        static Reply of(Object value) {
            return new Reply(value, null);
        }
    }

    /** An exception raised in the server: its type, message and the server's stack trace as text. */
    record Failure(String type, String message, String trace) implements Serializable {
    }

    /** What {@code HELLO} answers, and what a server started as a process reports to its parent. */
    record ServerInfo(String serverId, SocketAddress address, long pid) implements Serializable {
    }

    /** What a server process that could not start reports to its parent instead of a {@link ServerInfo}. */
    record StartFailed(String message) implements Serializable {
    }

    /** Sends a manager request or reply: in its scope, tokens never carry a key. */
    static void send(io.multiprocess.connection.Connection connection, Object message) {
        MessageScope.run(MessageScope.Kind.MANAGER_CALL, () -> connection.send(message));
    }
}
