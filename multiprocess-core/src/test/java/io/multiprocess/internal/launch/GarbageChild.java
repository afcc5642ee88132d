package io.multiprocess.internal.launch;

import io.multiprocess.internal.transport.Authentication;
import io.multiprocess.internal.transport.FrameChannel;
import io.multiprocess.internal.transport.FrameTypes;
import java.io.IOException;
import java.lang.reflect.Field;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

/**
 * A child JVM gone wrong, for tests of what its parent does: started in place of {@code ChildMain} (by a wrapper
 * executable, see {@code MachineFaultTest}) with the same arguments, it authenticates with the key it was given,
 * says which pid it is, then writes bytes that are no frame of the protocol and sleeps, so that only its parent can
 * end it. {@link #writeGarbage()} does the same from a task running in a real worker.
 */
public final class GarbageChild {

    /** A length prefix far beyond any frame, then bytes that mean nothing. */
    static final byte[] GARBAGE = ByteBuffer.allocate(4 + 64).putInt(0x7FFF_FFF0)
            .put("this is not a frame of the multiprocess protocol, it is garbage!".getBytes(
                    java.nio.charset.StandardCharsets.US_ASCII)).array();

    private GarbageChild() {
    }

    public static void main(String[] args) throws Exception {
        byte[] key = ChildChannel.readAuthkey(System.in);
        SocketChannel socket = SocketChannel.open(StandardProtocolFamily.UNIX);
        socket.connect(UnixDomainSocketAddress.of(Path.of(args[0])));
        FrameChannel connection = new FrameChannel(socket);
        Authentication.authenticateAsClient(connection, key);
        connection.sendBytes(ByteBuffer.allocate(9).put(FrameTypes.Control.HELLO)
                .putLong(ProcessHandle.current().pid()).array());
        socket.write(ByteBuffer.wrap(GARBAGE));
        Thread.sleep(300_000);
    }

    /** From a task in a worker: writes the garbage on the worker's own control channel, below its framing. */
    public static void writeGarbage() throws IOException, ReflectiveOperationException {
        FrameChannel connection = (FrameChannel) field(ChildChannel.class, "connection").get(ChildChannel.current());
        SocketChannel socket = (SocketChannel) field(FrameChannel.class, "channel").get(connection);
        socket.write(ByteBuffer.wrap(GARBAGE));
    }

    private static Field field(Class<?> type, String name) throws NoSuchFieldException {
        Field field = type.getDeclaredField(name);
        field.setAccessible(true);
        return field;
    }
}
