package io.multiprocess.bench;

import io.multiprocess.connection.Client;
import io.multiprocess.connection.Connection;
import io.multiprocess.function.SerializableRunnable;
import io.multiprocess.reduction.Reducer;
import io.multiprocess.reduction.Reducers;
import java.io.DataInputStream;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.FutureTask;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The child of the same-bootstrap baseline for {@code spawn} ({@link BootstrapBaseline}): the least a child JVM
 * must do before a target sent by its parent can run, with the library's public pieces (a {@link Client} speaks the
 * framing and the authkey challenge a child speaks). It reads the key from stdin, connects back over a UNIX-domain
 * socket, authenticates both ways, receives the reduced target, loads it with the reducer and runs it. No control
 * protocol, no exit reporting, no process object: what a spawn start costs beyond this is the library's overhead.
 */
public final class BootstrapMain {

    private BootstrapMain() {
    }

    /** Arguments: the parent's socket, the reducer's name. */
    public static void main(String[] args) throws Exception {
        // As ChildMain does: the security framework and the reducer load on another thread while this one
        // connects.
        FutureTask<Reducer> preparation = new FutureTask<>(() -> {
            // What the library's child prepares: the HMAC and the random source of the challenge.
            Mac hmac = Mac.getInstance("HmacSHA256");
            hmac.init(new SecretKeySpec(new byte[1], "HmacSHA256"));
            new SecureRandom().nextBytes(new byte[1]);
            Reducer reducer = Reducers.byName(args[1]);
            reducer.loads(reducer.dumps(new ArrayList<>(List.of(1))));
            return reducer;
        });
        Thread preparing = new Thread(preparation);
        preparing.setDaemon(true);
        preparing.start();
        DataInputStream stdin = new DataInputStream(System.in);
        byte[] key = new byte[stdin.readInt()];
        stdin.readFully(key);
        // The connection's own reducer is never used (the target arrives as bytes): the cheapest one, so that no
        // Kryo is built on this thread while the preparing one builds the real reducer.
        try (Connection connection = Client.connect(UnixDomainSocketAddress.of(Path.of(args[0])), key,
                Reducers.byName("java"))) {
            Reducer reducer = preparation.get();
            SerializableRunnable target = (SerializableRunnable) reducer.loads(connection.recvBytes());
            target.run();
        }
    }
}
