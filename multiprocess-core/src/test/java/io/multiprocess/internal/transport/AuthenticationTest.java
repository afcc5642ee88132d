package io.multiprocess.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.multiprocess.errors.AuthenticationException;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.SelectorProvider;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The HMAC challenge between two ends of a socket pair. */
class AuthenticationTest {

    @Test
    void peersWithTheSameKeyAuthenticateBothWays() throws Exception {
        assertThat(handshake("secret".getBytes(), "secret".getBytes())).isNull();
    }

    @Test
    void anEmptyKeyIsAValidKey() throws Exception {
        assertThat(handshake(new byte[0], new byte[0])).isNull();
    }

    @Test
    void theDigestIsHmacSha256ForKeysShorterLongerAndAsLongAsABlock() throws Exception {
        byte[] message = "#CHALLENGE# and 32 bytes of nonce".getBytes();
        for (int length : new int[] {0, 1, 20, 32, 63, 64, 65, 131}) {
            byte[] key = new byte[length];
            for (int i = 0; i < length; i++) {
                key[i] = (byte) (i * 7 + 3);
            }
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(length == 0 ? new byte[1] : key, "HmacSHA256"));

            assertThat(Authentication.hmac(key, message)).as("key of %d bytes", length)
                    .isEqualTo(mac.doFinal(message));
        }
    }

    @Test
    void theDigestMatchesRfc4231TestCase2() {
        byte[] digest = Authentication.hmac("Jefe".getBytes(), "what do ya want for nothing?".getBytes());

        assertThat(java.util.HexFormat.of().formatHex(digest))
                .isEqualTo("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    }

    @Test
    void differentKeysFailOnBothSides() throws Exception {
        Throwable serverError = handshake("server".getBytes(), "client".getBytes());

        assertThat(serverError).isInstanceOf(AuthenticationException.class).hasMessageContaining("digest received");
    }

    @Test
    void messageBoundariesAreKeptAndAnEmptyMessageIsAMessage() throws Exception {
        FrameChannel[] pair = pair();
        try (FrameChannel left = pair[0]; FrameChannel right = pair[1]) {
            left.sendBytes(new byte[0]);
            left.sendBytes("abc".getBytes(), 1, 2);
            assertThat(right.recvBytes()).isEmpty();
            assertThat(right.recvBytes()).containsExactly('b', 'c');
            left.close();
            assertThatThrownBy(right::recvBytes).isInstanceOf(java.io.EOFException.class);
        }
    }

    /** Runs the handshake on a socket pair; returns the server side's error, or null. */
    private static Throwable handshake(byte[] serverKey, byte[] clientKey) throws Exception {
        FrameChannel[] pair = pair();
        try (FrameChannel server = pair[0]; FrameChannel client = pair[1]) {
            CompletableFuture<Throwable> serverSide = CompletableFuture.supplyAsync(() -> {
                try {
                    Authentication.authenticateAsServer(server, serverKey);
                    return null;
                } catch (Throwable e) {
                    return e;
                }
            });
            if (java.util.Arrays.equals(serverKey, clientKey)) {
                Authentication.authenticateAsClient(client, clientKey);
            } else {
                assertThatThrownBy(() -> Authentication.authenticateAsClient(client, clientKey))
                        .isInstanceOf(AuthenticationException.class).hasMessageContaining("rejected");
            }
            return serverSide.get(10, TimeUnit.SECONDS);
        }
    }

    private static FrameChannel[] pair() throws Exception {
        var server = java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX);
        var address = java.net.UnixDomainSocketAddress.of(RuntimeDirectory.get().resolve("t" + System.nanoTime()));
        server.bind(address);
        SocketChannel client = SelectorProvider.provider().openSocketChannel(java.net.StandardProtocolFamily.UNIX);
        client.connect(address);
        SocketChannel accepted = server.accept();
        server.close();
        java.nio.file.Files.deleteIfExists(address.getPath());
        return new FrameChannel[] {new FrameChannel(accepted), new FrameChannel(client)};
    }
}
