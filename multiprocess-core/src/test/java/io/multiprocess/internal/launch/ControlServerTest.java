package io.multiprocess.internal.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.multiprocess.errors.AuthenticationException;
import io.multiprocess.internal.transport.Authentication;
import io.multiprocess.internal.transport.FrameChannel;
import io.multiprocess.reduction.Reducers;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Only peers that know the authkey get through the control socket, and nothing is deserialized before that. */
class ControlServerTest {

    @Test
    void aPeerWithTheWrongAuthkeyIsRefusedOnBothSides() throws Exception {
        ControlServer server = ControlServer.get();
        long failuresBefore = server.authenticationFailures();

        try (FrameChannel peer = connect(server)) {
            assertThatThrownBy(() -> Authentication.authenticateAsClient(peer, "wrong key".getBytes()))
                    .isInstanceOf(AuthenticationException.class).hasMessageContaining("rejected");
        }
        awaitFailures(server, failuresBefore + 1);
    }

    @Test
    void bytesFromAPeerThatSkipsTheChallengeAreNeverDeserialized() throws Exception {
        ControlServer server = ControlServer.get();
        long failuresBefore = server.authenticationFailures();
        byte[] canary = Reducers.byName("java").dumps(new Canary());
        Canary.deserialized = false;

        try (FrameChannel peer = connect(server)) {
            peer.recvBytes(Authentication.MAX_UNAUTHENTICATED_MESSAGE);
            peer.sendBytes(canary);
            assertThat(new String(peer.recvBytes(Authentication.MAX_UNAUTHENTICATED_MESSAGE))).isEqualTo("#FAILURE#");
        }
        awaitFailures(server, failuresBefore + 1);
        assertThat(Canary.deserialized).isFalse();
    }

    @Test
    void theSocketLivesInADirectoryOnlyTheUserCanEnter() throws Exception {
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(ControlServer.get().address().getParent());

        assertThat(permissions).containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ,
                PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE);
    }

    private static FrameChannel connect(ControlServer server) throws IOException {
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        channel.connect(UnixDomainSocketAddress.of(server.address()));
        return new FrameChannel(channel);
    }

    private static void awaitFailures(ControlServer server, long expected) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (server.authenticationFailures() < expected && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(server.authenticationFailures()).isGreaterThanOrEqualTo(expected);
    }

    static final class Canary implements Serializable {
        private static final long serialVersionUID = 1L;
        static volatile boolean deserialized;

        private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
            in.defaultReadObject();
            deserialized = true;
        }
    }
}
