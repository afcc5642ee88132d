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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.FutureTask;

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
        // As ChildMain does: the security framework and the reducer load on another thread while this one
        // connects.
        FutureTask<Reducer> preparation = new FutureTask<>(() -> {
            Authentication.prepare();
            Reducer reducer = Reducers.byName(args[1]);
            reducer.loads(reducer.dumps(new ArrayList<>(List.of(1))));
            return reducer;
        });
        Thread preparing = new Thread(preparation);
        preparing.setDaemon(true);
        preparing.start();
        byte[] key = ChildChannel.readAuthkey(System.in);
        SocketChannel socket = SocketChannel.open(StandardProtocolFamily.UNIX);
        socket.connect(UnixDomainSocketAddress.of(Path.of(args[0])));
        try (FrameChannel connection = new FrameChannel(socket)) {
            Authentication.authenticateAsClient(connection, key);
            Reducer reducer = preparation.get();
            SerializableRunnable target = (SerializableRunnable) reducer.loads(connection.recvBytes());
            target.run();
        }
    }
}
