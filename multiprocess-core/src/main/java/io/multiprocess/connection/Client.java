package io.multiprocess.connection;

import io.multiprocess.errors.AuthenticationException;
import io.multiprocess.internal.CurrentProcess;
import io.multiprocess.internal.context.ContextDefaults;
import io.multiprocess.internal.transport.Authentication;
import io.multiprocess.internal.transport.FrameChannel;
import io.multiprocess.reduction.Reducer;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.util.Objects;

/**
 * Connects to a {@link Listener} in this or another process (Python's {@code multiprocessing.connection.Client}).
 *
 * <pre>{@code
 * try (Connection connection = Client.connect(address)) {    // address: listener.address(), sent to this process
 *     connection.send("ping");
 *     String answer = connection.recv();
 * }
 * }</pre>
 *
 * <p>The connection is authenticated both ways before it is returned: this side proves it knows the key, and makes
 * the listener prove it too, so nothing received is deserialized unless it comes from a process that knows the
 * key. As with Python's {@code Client}, connecting waits until the listener {@linkplain Listener#accept() accepts}.
 */
public final class Client {

    private Client() {
    }

    /** Connects with this process's authkey (inherited from the parent in a child process). */
    public static Connection connect(SocketAddress address) {
        return connect(address, null, null);
    }

    /**
     * Connects with {@code authkey}.
     *
     * @param address a {@link UnixDomainSocketAddress} or {@link InetSocketAddress}, as {@link Listener#address()}
     *     gives it
     * @param authkey the listener's key; null for this process's authkey
     * @throws AuthenticationException if the keys differ (the listener fails too)
     * @throws UncheckedIOException if nothing listens there, or the listener closed the connection
     */
    public static Connection connect(SocketAddress address, byte[] authkey) {
        return connect(address, authkey, null);
    }

    /**
     * As {@link #connect(SocketAddress, byte[])}, with the reducer for objects sent and received; null for the
     * default context's. Both ends must use the same reducer.
     */
    public static Connection connect(SocketAddress address, byte[] authkey, Reducer reducer) {
        Objects.requireNonNull(address, "address");
        byte[] key = authkey != null ? authkey : CurrentProcess.authkey();
        Reducer r = reducer != null ? reducer : ContextDefaults.reducer();
        String description = "connection to " + Listener.describe(address);
        SocketChannel channel = open(address);
        FrameChannel frames;
        try {
            frames = FrameChannel.selectable(channel);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new UncheckedIOException("cannot set up the " + description + ": " + e.getMessage(), e);
        }
        try {
            Authentication.authenticateAsClient(frames, key);
        } catch (AuthenticationException e) {
            closeQuietly(frames);
            throw new AuthenticationException("the listener on " + Listener.describe(address) + " refused this "
                    + "process: " + e.getMessage());
        } catch (InterruptedIOException e) {
            closeQuietly(frames);
            throw new UncheckedIOException("interrupted while authenticating with the listener on "
                    + Listener.describe(address), e);
        } catch (IOException e) {
            closeQuietly(frames);
            throw new UncheckedIOException("the listener on " + Listener.describe(address) + " closed the "
                    + "connection during the authkey challenge: " + e.getMessage(), e);
        }
        return new SocketConnection(frames, r, description);
    }

    private static SocketChannel open(SocketAddress address) {
        SocketChannel channel = null;
        try {
            if (address instanceof UnixDomainSocketAddress unix) {
                channel = SocketChannel.open(StandardProtocolFamily.UNIX);
                channel.connect(unix);
            } else if (address instanceof InetSocketAddress inet) {
                // An address rebuilt from its text (the jackson reducer sends it so) is unresolved: resolve it here.
                InetSocketAddress target = inet.isUnresolved() ? new InetSocketAddress(inet.getHostString(),
                        inet.getPort()) : inet;
                if (target.isUnresolved()) {
                    throw new IllegalArgumentException("cannot connect to " + inet + ": the host name does not "
                            + "resolve");
                }
                channel = SocketChannel.open();
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                channel.connect(target);
            } else {
                throw new IllegalArgumentException("cannot connect to a " + address.getClass().getName()
                        + "; use the UnixDomainSocketAddress or InetSocketAddress a Listener gives");
            }
            return channel;
        } catch (IOException e) {
            if (channel != null) {
                closeQuietly(channel);
            }
            throw new UncheckedIOException("cannot connect to " + Listener.describe(address) + ": "
                    + e.getMessage(), e);
        }
    }

    private static void closeQuietly(java.io.Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException e) {
            // Being given up either way.
        }
    }
}
