package io.multiprocess.bench;

import io.multiprocess.connection.Authentication;
import io.multiprocess.connection.FrameChannel;
import io.multiprocess.function.SerializableRunnable;
import io.multiprocess.process.ChildChannel;
import io.multiprocess.reduction.Reducer;
import io.multiprocess.reduction.Reducers;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

/**
 * The child of the same-bootstrap baseline for {@code spawn} ({@link BootstrapBaseline}): the least a child JVM
 * must do before a target sent by its parent can run, with the library's own pieces. It reads the key from stdin,
 * connects back over a UNIX-domain socket, authenticates both ways, receives the reduced target, loads it with the
 * reducer and runs it. No control protocol, no exit reporting, no process object: what a spawn start costs beyond
 * this is the library's overhead.
 */
public final class BootstrapMain {

    private BootstrapMain() {
    }

    /** Arguments: the parent's socket, the reducer's name. */
    public static void main(String[] args) throws Exception {
        // As ChildMain does: the security framework loads on another thread while this one connects.
        Thread security = new Thread(Authentication::prepare);
        security.setDaemon(true);
        security.start();
        byte[] key = ChildChannel.readAuthkey(System.in);
        SocketChannel socket = SocketChannel.open(StandardProtocolFamily.UNIX);
        socket.connect(UnixDomainSocketAddress.of(Path.of(args[0])));
        try (FrameChannel connection = new FrameChannel(socket)) {
            Authentication.authenticateAsClient(connection, key);
            Reducer reducer = Reducers.byName(args[1]);
            SerializableRunnable target = (SerializableRunnable) reducer.loads(connection.recvBytes());
            target.run();
        }
    }
}
