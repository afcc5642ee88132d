package io.multiprocess.internal.hosting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.multiprocess.errors.AuthenticationException;
import io.multiprocess.internal.transport.Authentication;
import io.multiprocess.internal.transport.FrameChannel;
import io.multiprocess.internal.transport.FrameTypes;
import io.multiprocess.reduction.Reducers;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import org.junit.jupiter.api.Test;

/** Only processes that know the authkey reach this process's queues and pipes; nothing is deserialized before. */
class ObjectHostSecurityTest {

    @Test
    void aPeerWithTheWrongAuthkeyIsRefused() throws Exception {
        HostAddress host = ObjectHost.publish(ObjectHost.newMailbox(0));

        try (FrameChannel peer = connect(host)) {
            assertThatThrownBy(() -> Authentication.authenticateAsClient(peer, "wrong key".getBytes()))
                    .isInstanceOf(AuthenticationException.class).hasMessageContaining("rejected");
        }
    }

    @Test
    void aRequestFromAPeerThatSkipsTheChallengeIsNeverDeserializedOrServed() throws Exception {
        Mailbox mailbox = ObjectHost.newMailbox(0);
        HostAddress host = ObjectHost.publish(mailbox);
        byte[] canary = Reducers.byName("java").dumps(new Canary());
        Canary.deserialized = false;

        try (FrameChannel peer = connect(host)) {
            peer.recvBytes(Authentication.MAX_UNAUTHENTICATED_MESSAGE);
            new HostLink(peer).sendRequest(HostFrame.request(FrameTypes.Host.PUT_ONE_WAY, 1, mailbox.id(), -1, canary));
            assertThat(new String(peer.recvBytes(Authentication.MAX_UNAUTHENTICATED_MESSAGE))).isEqualTo("#FAILURE#");
            assertThatThrownBy(() -> peer.recvBytes(16)).isInstanceOf(IOException.class);
        }
        assertThat(mailbox.size()).isZero();
        assertThat(Canary.deserialized).isFalse();
    }

    @Test
    void theSocketLivesInADirectoryOnlyTheUserCanEnter() throws Exception {
        Path socket = Path.of(ObjectHost.publish(ObjectHost.newMailbox(0)).socket());

        assertThat(Files.getPosixFilePermissions(socket.getParent())).containsExactlyInAnyOrder(
                PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE);
    }

    private static FrameChannel connect(HostAddress host) throws IOException {
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        channel.connect(UnixDomainSocketAddress.of(Path.of(host.socket())));
        return new FrameChannel(channel);
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
