package io.multiprocess.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.multiprocess.BaseContext;
import io.multiprocess.MpProcess;
import io.multiprocess.Multiprocess;
import io.multiprocess.errors.AuthenticationException;
import io.multiprocess.errors.EndOfStreamException;
import io.multiprocess.reduction.ReductionException;
import java.io.Serializable;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A child process connects back to its parent's listener: the way processes that were not given a pipe meet. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ListenerClientAcrossProcessesTest {

    record Point(int x, int y) implements Serializable {
    }

    @ParameterizedTest
    @ValueSource(strings = {"forkserver", "spawn"})
    void aChildConnectsBackOverAUnixSocketAndExchangesObjectsAndBytes(String method) {
        BaseContext ctx = Multiprocess.getContext(method);
        try (Listener listener = Listener.bind()) {
            SocketAddress address = listener.address();
            MpProcess child = ctx.process(() -> {
                try (Connection parent = Client.connect(address)) {
                    parent.send(new Point(3, 4));
                    parent.sendBytes(new byte[] {1, 2, 3});
                    parent.sendBytes(new byte[0]);
                    String question = parent.recv();
                    parent.send(question + " from " + ProcessHandle.current().pid());
                }
            });
            child.start();
            try {
                try (Connection fromChild = listener.accept()) {
                    assertThat(fromChild.<Point>recv()).isEqualTo(new Point(3, 4));
                    assertThat(fromChild.recvBytes()).containsExactly(1, 2, 3);
                    assertThat(fromChild.recvBytes()).isEmpty();
                    fromChild.send("ping");
                    assertThat(fromChild.<String>recv()).isEqualTo("ping from " + child.pid());
                    assertThatThrownBy(fromChild::recv).isInstanceOf(EndOfStreamException.class);
                }
            } finally {
                joinOrKill(child);
            }
            assertThat(child.exitCode()).isZero();
        }
    }

    @Test
    void aChildConnectsBackOverTcpOnTheLoopbackInterface() {
        try (Listener listener = Listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            SocketAddress address = listener.address();
            MpProcess child = Multiprocess.getContext().process(() -> {
                try (Connection parent = Client.connect(address)) {
                    byte[] message = parent.recvBytes();
                    parent.sendBytes(message, 1, message.length - 1);
                }
            });
            child.start();
            try {
                try (Connection fromChild = listener.accept()) {
                    fromChild.sendBytes("xecho".getBytes(StandardCharsets.UTF_8));
                    assertThat(new String(fromChild.recvBytes(), StandardCharsets.UTF_8)).isEqualTo("echo");
                }
            } finally {
                joinOrKill(child);
            }
            assertThat(child.exitCode()).isZero();
        }
    }

    @Test
    void everyMessageAChildSentBeforeItExitedIsReceivedThenTheEndOfTheStream() {
        try (Listener listener = Listener.bind()) {
            SocketAddress address = listener.address();
            // The child exits without closing its end: the JVM's exit closes it. Few enough messages to fit the
            // socket's buffer, so the child is gone before the first is received.
            MpProcess child = Multiprocess.getContext().process(() -> {
                Connection parent = Client.connect(address);
                for (int i = 0; i < 50; i++) {
                    parent.send(i);
                }
            });
            child.start();
            try {
                try (Connection fromChild = listener.accept()) {
                    joinOrKill(child);
                    assertThat(child.exitCode()).isZero();
                    for (int i = 0; i < 50; i++) {
                        assertThat(fromChild.<Integer>recv()).isEqualTo(i);
                    }
                    assertThat(fromChild.poll(Duration.ofSeconds(30))).isTrue();
                    assertThatThrownBy(fromChild::recv).isInstanceOf(EndOfStreamException.class);
                }
            } finally {
                joinOrKill(child);
            }
            assertThat(child.exitCode()).isZero();
        }
    }

    @Test
    void aChildWithTheWrongAuthkeyIsRefusedOnBothSides() {
        try (Listener listener = Listener.bind()) {
            SocketAddress address = listener.address();
            MpProcess child = Multiprocess.getContext().process(() -> {
                try {
                    Client.connect(address, "not the parent's key".getBytes(StandardCharsets.UTF_8));
                } catch (AuthenticationException e) {
                    System.exit(e.getMessage().contains("refused this process") ? 3 : 4);
                }
                System.exit(2);
            });
            child.start();
            try {
                assertThatThrownBy(listener::accept).isInstanceOf(AuthenticationException.class)
                        .hasMessageContaining("digest received was wrong");
            } finally {
                joinOrKill(child);
            }
            assertThat(child.exitCode()).as("the child saw AuthenticationException").isEqualTo(3);
        }
    }

    @Test
    void aProcessThatCapturesASocketConnectionFailsToStartWithTheReason() {
        try (Listener listener = Listener.bind()) {
            java.util.concurrent.CompletableFuture<Connection> client =
                    ListenerClientTest.inThread(() -> Client.connect(listener.address()));
            try (Connection accepted = listener.accept(); Connection connection = client.join()) {
                MpProcess child = Multiprocess.getContext().process(() -> connection.send("from the child"));

                assertThatThrownBy(child::start).isInstanceOf(ReductionException.class)
                        .hasMessageContaining("cannot start process")
                        .hasMessageContaining("cannot be sent to another process")
                        .hasMessageContaining("ctx.pipe()");
                assertThat(child.pid()).as("nothing was started").isNull();
            }
        }
    }

    static void joinOrKill(MpProcess process) {
        if (process.pid() == null) {
            return;
        }
        if (!process.join(Duration.ofSeconds(60))) {
            process.kill();
            process.join();
        }
    }
}
