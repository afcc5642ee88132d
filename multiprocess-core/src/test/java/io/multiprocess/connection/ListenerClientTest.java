package io.multiprocess.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.multiprocess.errors.AuthenticationException;
import io.multiprocess.errors.EndOfStreamException;
import io.multiprocess.internal.transport.Authentication;
import io.multiprocess.internal.transport.FrameChannel;
import io.multiprocess.internal.transport.RuntimeDirectory;
import io.multiprocess.reduction.Reducers;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Listener and Client in one JVM, over UNIX-domain sockets and TCP on the loopback interface. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ListenerClientTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    record Point(int x, int y) implements Serializable {
    }

    @ParameterizedTest
    @ValueSource(strings = {"unix", "tcp"})
    void objectsAndBytesTravelBothWays(String family) throws Exception {
        try (Listener listener = Listener.bind(address(family))) {
            CompletableFuture<Connection> client = connectLater(listener.address(), null);
            try (Connection server = listener.accept(); Connection peer = client.get(30, TimeUnit.SECONDS)) {
                peer.send(new Point(1, 2));
                peer.send(Map.of("list", List.of(1, 2, 3)));
                peer.sendBytes("xxhello".getBytes(StandardCharsets.UTF_8), 2, 5);

                assertThat(server.<Point>recv()).isEqualTo(new Point(1, 2));
                assertThat(server.<Map<String, List<Integer>>>recv()).containsEntry("list", List.of(1, 2, 3));
                assertThat(new String(server.recvBytes(), StandardCharsets.UTF_8)).isEqualTo("hello");

                server.send("answer");
                assertThat(peer.<String>recv()).isEqualTo("answer");
                assertThat(server.readable()).isTrue();
                assertThat(server.writable()).isTrue();
            }
            assertThat(listener.lastAccepted()).isNotNull();
        }
    }

    @Test
    void aTcpListenerOnPortZeroTellsTheRealPort() {
        try (Listener listener = Listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            InetSocketAddress bound = (InetSocketAddress) listener.address();

            assertThat(bound.getPort()).isPositive();
            assertThat(bound.getAddress().isLoopbackAddress()).isTrue();
        }
    }

    @Test
    void messageBoundariesAreKeptAndAnEmptyMessageIsAMessage() throws Exception {
        try (Pair pair = Pair.open()) {
            byte[] large = new byte[3 << 20];
            Arrays.fill(large, (byte) 7);
            CompletableFuture<Void> sending = inThread(() -> {
                pair.client.sendBytes(new byte[0]);
                pair.client.sendBytes(new byte[] {1});
                pair.client.sendBytes(large);
                pair.client.sendBytes(new byte[0]);
                pair.client.send(null);
                pair.client.sendBytes(new byte[] {2, 3});
            });

            assertThat(pair.server.recvBytes()).isEmpty();
            assertThat(pair.server.recvBytes()).containsExactly(1);
            assertThat(pair.server.recvBytes()).isEqualTo(large);
            assertThat(pair.server.recvBytes()).isEmpty();
            assertThat(pair.server.<Object>recv()).isNull();
            assertThat(pair.server.recvBytes()).containsExactly(2, 3);
            sending.get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void recvBytesRefusesAMessageLongerThanMaxLengthAndClosesTheConnection() {
        try (Pair pair = Pair.open()) {
            pair.client.sendBytes(new byte[100]);

            assertThatThrownBy(() -> pair.server.recvBytes(99)).isInstanceOf(UncheckedIOException.class)
                    .hasMessageContaining("100 bytes where at most 99");
            assertThat(pair.server.isClosed()).isTrue();
            assertThatThrownBy(() -> pair.server.recvBytes()).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("closed");
        }
    }

    @Test
    void recvBytesIntoATooShortBufferCarriesTheWholeMessage() {
        try (Pair pair = Pair.open()) {
            pair.client.sendBytes(new byte[] {1, 2, 3, 4, 5});
            pair.client.sendBytes(new byte[] {6, 7});
            byte[] buffer = new byte[6];

            assertThatThrownBy(() -> pair.server.recvBytesInto(buffer, 2))
                    .isInstanceOfSatisfying(BufferTooShortException.class,
                            e -> assertThat(e.getMessageBytes()).containsExactly(1, 2, 3, 4, 5));
            assertThat(pair.server.recvBytesInto(buffer, 4)).isEqualTo(2);
            assertThat(buffer).containsExactly(0, 0, 0, 0, 6, 7);
        }
    }

    @Test
    void pollWaitsForItsTimeoutThenSeesAMessageWithoutConsumingIt() {
        try (Pair pair = Pair.open()) {
            Duration timeout = Duration.ofMillis(300);
            long before = System.nanoTime();
            boolean early = pair.server.poll(timeout);
            long waited = System.nanoTime() - before;

            assertThat(early).isFalse();
            assertThat(waited).isGreaterThanOrEqualTo(timeout.toNanos());
            assertThat(pair.server.poll()).isFalse();

            pair.client.send("now");
            assertThat(pair.server.poll(PATIENCE)).isTrue();
            assertThat(pair.server.poll()).isTrue();
            assertThat(pair.server.<String>recv()).isEqualTo("now");
            assertThat(pair.server.poll()).isFalse();
        }
    }

    @Test
    void pollWithoutATimeoutWaitsForTheMessage() throws Exception {
        try (Pair pair = Pair.open()) {
            CompletableFuture<Boolean> polled = inThread(() -> pair.server.poll(null));
            Thread.sleep(100);
            pair.client.sendBytes(new byte[] {9});

            assertThat(polled.get(30, TimeUnit.SECONDS)).isTrue();
            assertThat(pair.server.recvBytes()).containsExactly(9);
        }
    }

    @Test
    void endOfStreamComesOnlyAfterEveryMessageSentBeforeTheCloseWasReceived() {
        try (Pair pair = Pair.open()) {
            pair.client.send("one");
            pair.client.sendBytes(new byte[0]);
            pair.client.send("three");
            pair.client.close();

            assertThat(pair.server.<String>recv()).isEqualTo("one");
            assertThat(pair.server.recvBytes()).isEmpty();
            assertThat(pair.server.poll(PATIENCE)).isTrue();
            assertThat(pair.server.<String>recv()).isEqualTo("three");
            assertThat(pair.server.poll(PATIENCE)).as("the end of the stream is receivable").isTrue();
            assertThatThrownBy(pair.server::recv).isInstanceOf(EndOfStreamException.class);
            assertThatThrownBy(pair.server::recvBytes).isInstanceOf(EndOfStreamException.class);
            assertThat(pair.server.isClosed()).as("only the peer closed").isFalse();
        }
    }

    @Test
    void aClosedConnectionRefusesEveryOperation() {
        try (Pair pair = Pair.open()) {
            pair.server.close();
            pair.server.close();

            assertThat(pair.server.isClosed()).isTrue();
            assertThatThrownBy(() -> pair.server.send("x")).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(pair.server::recv).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(pair.server::poll).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> pair.client.recv()).isInstanceOf(EndOfStreamException.class);
        }
    }

    @Test
    void anInterruptEndsAWaitingReceiveAndTheConnectionStaysUsable() throws Exception {
        try (Pair pair = Pair.open()) {
            AtomicReference<Throwable> failure = new AtomicReference<>();
            AtomicReference<Boolean> stillInterrupted = new AtomicReference<>();
            CountDownLatch receiving = new CountDownLatch(1);
            Thread receiver = new Thread(() -> {
                receiving.countDown();
                try {
                    pair.server.recv();
                } catch (Throwable e) {
                    failure.set(e);
                    stillInterrupted.set(Thread.currentThread().isInterrupted());
                }
            });
            receiver.start();
            receiving.await();
            Thread.sleep(100);
            receiver.interrupt();
            receiver.join(PATIENCE.toMillis());

            assertThat(failure.get()).isInstanceOf(UncheckedIOException.class)
                    .hasCauseInstanceOf(java.io.InterruptedIOException.class);
            assertThat(stillInterrupted.get()).isTrue();
            pair.client.send("after the interrupt");
            assertThat(pair.server.<String>recv()).isEqualTo("after the interrupt");
        }
    }

    @Test
    void oneThreadSendsWhileAnotherReceives() throws Exception {
        try (Pair pair = Pair.open()) {
            int count = 2_000;
            CompletableFuture<Integer> echoing = inThread(() -> {
                for (int i = 0; i < count; i++) {
                    pair.client.send(pair.client.<Integer>recv());
                }
                return count;
            });
            CompletableFuture<Void> sending = inThread(() -> {
                for (int i = 0; i < count; i++) {
                    pair.server.send(i);
                }
            });
            for (int i = 0; i < count; i++) {
                assertThat(pair.server.<Integer>recv()).isEqualTo(i);
            }
            sending.get(30, TimeUnit.SECONDS);
            assertThat(echoing.get(30, TimeUnit.SECONDS)).isEqualTo(count);
        }
    }

    @Test
    void aWrongAuthkeyFailsOnBothSidesAndTheListenerAcceptsTheNextPeer() throws Exception {
        try (Listener listener = Listener.bind(null, "right".getBytes(StandardCharsets.UTF_8))) {
            CompletableFuture<Connection> wrong = connectLater(listener.address(),
                    "wrong".getBytes(StandardCharsets.UTF_8));

            assertThatThrownBy(listener::accept).isInstanceOf(AuthenticationException.class)
                    .hasMessageContaining("digest received was wrong");
            assertThatThrownBy(() -> wrong.get(30, TimeUnit.SECONDS)).cause()
                    .isInstanceOf(AuthenticationException.class).hasMessageContaining("rejected");

            CompletableFuture<Connection> right = connectLater(listener.address(),
                    "right".getBytes(StandardCharsets.UTF_8));
            try (Connection server = listener.accept(); Connection client = right.get(30, TimeUnit.SECONDS)) {
                client.send("in");
                assertThat(server.<String>recv()).isEqualTo("in");
            }
        }
    }

    @Test
    void anEmptyAuthkeyIsAKey() throws Exception {
        try (Listener listener = Listener.bind(null, new byte[0])) {
            CompletableFuture<Connection> client = connectLater(listener.address(), new byte[0]);
            try (Connection server = listener.accept(); Connection peer = client.get(30, TimeUnit.SECONDS)) {
                peer.send(1);
                assertThat(server.<Integer>recv()).isEqualTo(1);
            }
        }
    }

    @Test
    void aPeerThatSkipsTheChallengeIsRefusedBeforeAnythingItSentIsDeserialized() throws Exception {
        byte[] canary = Reducers.byName("java").dumps(new Canary());
        Canary.deserialized = false;
        try (Listener listener = Listener.bind(null, null)) {
            try (SocketChannel raw = rawConnect(listener.address())) {
                CompletableFuture<Connection> accepted = inThread(listener::accept);
                FrameChannel frames = new FrameChannel(raw);
                assertThat(new String(frames.recvBytes(Authentication.MAX_UNAUTHENTICATED_MESSAGE),
                        StandardCharsets.US_ASCII)).startsWith("#CHALLENGE#");
                frames.sendBytes(canary);

                assertThatThrownBy(() -> accepted.get(30, TimeUnit.SECONDS)).cause()
                        .isInstanceOf(AuthenticationException.class).hasMessageContaining("refused");
                assertThat(new String(frames.recvBytes(Authentication.MAX_UNAUTHENTICATED_MESSAGE),
                        StandardCharsets.US_ASCII)).isEqualTo("#FAILURE#");
            }
            assertThat(Canary.deserialized).isFalse();
        }
    }

    @Test
    void garbageFromAPeerIsRefusedWithoutAllocatingTheLengthItClaims() throws Exception {
        try (Listener listener = Listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            try (SocketChannel raw = rawConnect(listener.address())) {
                // "GET " read as a frame length is 1,195,725,856 bytes.
                raw.write(ByteBuffer.wrap("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));

                assertThatThrownBy(listener::accept).isInstanceOf(AuthenticationException.class)
                        .hasMessageContaining("1195725856 bytes where at most "
                                + Authentication.MAX_UNAUTHENTICATED_MESSAGE);
            }
        }
    }

    @Test
    void aPeerThatSaysNothingIsDroppedAfterTheHandshakeTimeout() throws Exception {
        try (Listener listener = Listener.bind()) {
            listener.setHandshakeTimeout(Duration.ofMillis(300));
            // Taken before connecting: the acceptor may take the connection, and start its deadline, before
            // rawConnect returns.
            long before = System.nanoTime();
            try (SocketChannel silent = rawConnect(listener.address())) {
                assertThatThrownBy(listener::accept).isInstanceOf(AuthenticationException.class)
                        .hasMessageContaining("did not complete the authkey challenge within 300 ms");
                assertThat(System.nanoTime() - before).isGreaterThanOrEqualTo(Duration.ofMillis(300).toNanos());
                assertThat(silent.read(ByteBuffer.allocate(1024))).as("the challenge, then the end of stream")
                        .isPositive();
            }
            CompletableFuture<Connection> client = connectLater(listener.address(), null);
            try (Connection server = listener.accept(); Connection peer = client.get(30, TimeUnit.SECONDS)) {
                peer.send("still listening");
                assertThat(server.<String>recv()).isEqualTo("still listening");
            }
        }
    }

    @Test
    void aSocketConnectionRefusesToBeSentAndSaysWhatToSendInstead() {
        try (Pair pair = Pair.open()) {
            for (String reducer : List.of("kryo", "java", "jackson")) {
                assertThatThrownBy(() -> Reducers.byName(reducer).dumps(List.of(pair.server)))
                        .as(reducer).isInstanceOf(io.multiprocess.reduction.ReductionException.class)
                        .hasMessageContaining("cannot be sent to another process")
                        .hasMessageContaining("Client.connect")
                        .hasMessageContaining("ctx.pipe()");
            }
        }
    }

    @Test
    void aListenerRefusesToBeSentAndSaysToSendItsAddress() {
        try (Listener listener = Listener.bind()) {
            for (String reducer : List.of("kryo", "java", "jackson")) {
                assertThatThrownBy(() -> Reducers.byName(reducer).dumps(List.of(listener)))
                        .as(reducer).isInstanceOf(io.multiprocess.reduction.ReductionException.class)
                        .hasMessageContaining("cannot be sent to another process")
                        .hasMessageContaining("address()");
            }
        }
    }

    @Test
    void anInterruptWhileWaitingToAcceptClosesTheListener() throws Exception {
        Listener listener = Listener.bind();
        Path socket = ((UnixDomainSocketAddress) listener.address()).getPath();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread accepting = new Thread(() -> {
            try {
                listener.accept();
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        accepting.start();
        Thread.sleep(100);
        accepting.interrupt();
        accepting.join(PATIENCE.toMillis());

        assertThat(failure.get()).isInstanceOf(UncheckedIOException.class).hasMessageContaining("interrupt")
                .hasCauseInstanceOf(java.io.InterruptedIOException.class);
        assertThat(listener.isClosed()).isTrue();
        assertThat(socket).doesNotExist();
    }

    @Test
    void theDefaultSocketLivesInTheUsersPrivateDirectoryAndCloseDeletesIt() throws Exception {
        Listener listener = Listener.bind();
        Path socket = ((UnixDomainSocketAddress) listener.address()).getPath();

        assertThat(socket.getParent()).isEqualTo(RuntimeDirectory.get());
        assertThat(Files.getPosixFilePermissions(socket.getParent())).containsExactlyInAnyOrder(
                PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE);
        assertThat(socket).exists();
        listener.close();
        assertThat(socket).doesNotExist();
        assertThat(listener.isClosed()).isTrue();
        assertThatThrownBy(listener::accept).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThatThrownBy(() -> Client.connect(UnixDomainSocketAddress.of(socket)))
                .isInstanceOf(UncheckedIOException.class).hasMessageContaining("cannot connect");
    }

    @Test
    void aListenerOnAPathOfTheUsersChoiceWorksAndDeletesItsFile() throws Exception {
        Path socket = dir.resolve("chosen.sock");
        if (socket.toString().length() > 100) {
            socket = RuntimeDirectory.get().resolve("chosen-" + ProcessHandle.current().pid() + ".sock");
        }
        try (Listener listener = Listener.bind(UnixDomainSocketAddress.of(socket))) {
            assertThat(listener.address()).isEqualTo(UnixDomainSocketAddress.of(socket));
            CompletableFuture<Connection> client = connectLater(listener.address(), null);
            try (Connection server = listener.accept(); Connection peer = client.get(30, TimeUnit.SECONDS)) {
                server.send("hi");
                assertThat(peer.<String>recv()).isEqualTo("hi");
            }
        }
        assertThat(socket).doesNotExist();
    }

    @Test
    void anAddressInUseIsRefusedAndTheListenerThereIsUntouched() throws Exception {
        try (Listener first = Listener.bind()) {
            assertThatThrownBy(() -> Listener.bind(first.address())).isInstanceOf(UncheckedIOException.class)
                    .hasMessageContaining("cannot listen on UNIX socket");
            CompletableFuture<Connection> client = connectLater(first.address(), null);
            try (Connection server = first.accept(); Connection peer = client.get(30, TimeUnit.SECONDS)) {
                peer.send("still there");
                assertThat(server.<String>recv()).isEqualTo("still there");
            }
        }
    }

    @Test
    void closingTheListenerEndsABlockedAccept() throws Exception {
        Listener listener = Listener.bind();
        CompletableFuture<Connection> accepting = inThread(listener::accept);
        Thread.sleep(100);
        listener.close();

        assertThatThrownBy(() -> accepting.get(30, TimeUnit.SECONDS)).cause()
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    private static SocketAddress address(String family) {
        return family.equals("unix") ? null : new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    }

    /**
     * Runs blocking test code on a thread of its own. Not the common pool: with two CPUs it has one worker, and two
     * blocking tasks queued there would wait for each other.
     */
    static <T> CompletableFuture<T> inThread(java.util.function.Supplier<T> code) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                result.complete(code.get());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        }, "test-helper");
        thread.setDaemon(true);
        thread.start();
        return result;
    }

    static CompletableFuture<Void> inThread(Runnable code) {
        return inThread(() -> {
            code.run();
            return null;
        });
    }

    private static CompletableFuture<Connection> connectLater(SocketAddress address, byte[] authkey) {
        return inThread(() -> Client.connect(address, authkey));
    }

    private static SocketChannel rawConnect(SocketAddress address) throws IOException {
        SocketChannel channel = address instanceof UnixDomainSocketAddress
                ? SocketChannel.open(StandardProtocolFamily.UNIX) : SocketChannel.open();
        channel.connect(address);
        return channel;
    }

    /** Two ends of an authenticated connection over a fresh UNIX socket. */
    record Pair(Listener listener, Connection server, Connection client) implements AutoCloseable {

        static Pair open() {
            Listener listener = Listener.bind();
            CompletableFuture<Connection> client = connectLater(listener.address(), null);
            Connection server = listener.accept();
            return new Pair(listener, server, client.join());
        }

        @Override
        public void close() {
            client.close();
            server.close();
            listener.close();
        }
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
