package io.multiprocess.connection;

import static io.multiprocess.connection.ListenerClientAcrossProcessesTest.joinOrKill;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.multiprocess.MpProcess;
import io.multiprocess.Multiprocess;
import io.multiprocess.errors.EndOfStreamException;
import io.multiprocess.errors.MultiprocessException;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Waitable.waitAny over socket connections and process sentinels. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class WaitAnyTest {

    private static final Duration PATIENCE = Duration.ofSeconds(60);

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable closeable : toClose) {
            closeable.close();
        }
    }

    @Test
    void waitAnyReturnsTheConnectionsThatCanBeReceivedFromInTheirOrder() {
        List<ListenerClientTest.Pair> pairs = List.of(pair(), pair(), pair());
        pairs.get(2).client().send("third");
        pairs.get(0).client().send("first");

        List<Connection> servers = pairs.stream().map(ListenerClientTest.Pair::server).toList();
        List<Connection> ready = Waitable.waitAny(servers, PATIENCE);

        assertThat(ready).containsExactly(servers.get(0), servers.get(2));
        assertThat(servers.get(0).<String>recv()).as("waiting consumed nothing").isEqualTo("first");
    }

    @Test
    void waitAnyWakesUpWhenAMessageArrivesWhileItWaits() throws Exception {
        ListenerClientTest.Pair quiet = pair();
        ListenerClientTest.Pair late = pair();
        CompletableFuture<List<Connection>> waiting = ListenerClientTest.inThread(
                () -> Waitable.waitAny(List.of(quiet.server(), late.server()), PATIENCE));
        Thread.sleep(200);
        late.client().send("late");

        assertThat(waiting.get(60, TimeUnit.SECONDS)).containsExactly(late.server());
    }

    @Test
    void waitAnyReturnsAnEmptyListOnceItsTimeoutHasPassed() {
        ListenerClientTest.Pair pair = pair();
        Duration timeout = Duration.ofMillis(300);

        long before = System.nanoTime();
        List<Connection> ready = Waitable.waitAny(List.of(pair.server(), pair.client()), timeout);

        assertThat(ready).isEmpty();
        assertThat(System.nanoTime() - before).isGreaterThanOrEqualTo(timeout.toNanos());
        assertThat(Waitable.waitAny(List.of(pair.server()), Duration.ZERO)).isEmpty();
    }

    @Test
    void theEndOfTheStreamMakesAConnectionReady() {
        ListenerClientTest.Pair pair = pair();
        pair.client().close();

        assertThat(Waitable.waitAny(List.of(pair.server()), PATIENCE)).containsExactly(pair.server());
        assertThatThrownBy(pair.server()::recv).isInstanceOf(EndOfStreamException.class);
    }

    @Test
    void aClosedConnectionCannotBeWaitedOn() {
        ListenerClientTest.Pair pair = pair();
        pair.server().close();

        assertThatThrownBy(() -> Waitable.waitAny(List.of(pair.server()), PATIENCE))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    @Test
    void closingAConnectionWakesAThreadWaitingOnIt() throws Exception {
        ListenerClientTest.Pair pair = pair();
        CompletableFuture<List<Connection>> waiting = ListenerClientTest.inThread(
                () -> Waitable.waitAny(List.of(pair.server()), PATIENCE));
        Thread.sleep(200);
        pair.server().close();

        assertThatThrownBy(() -> waiting.get(60, TimeUnit.SECONDS)).cause()
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void anInterruptEndsTheWaitAndTheThreadStaysInterrupted() {
        ListenerClientTest.Pair pair = pair();
        Thread.currentThread().interrupt();
        try {
            assertThat(pair.server().poll()).as("a check without waiting ignores the interrupt").isFalse();
            assertThatThrownBy(() -> Waitable.waitAny(List.of(pair.server()), PATIENCE))
                    .isInstanceOf(MultiprocessException.class).hasMessageContaining("interrupted");
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void aSentinelIsReadyOnceItsProcessHasExited() {
        MpProcess quick = Multiprocess.getContext().process(() -> { });
        assertThatThrownBy(quick::sentinel).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("start()");
        assertThatThrownBy(() -> Multiprocess.currentProcess().sentinel())
                .isInstanceOf(IllegalStateException.class);
        quick.start();
        Waitable sentinel = quick.sentinel();

        assertThat(Waitable.waitAny(List.of(sentinel), PATIENCE)).containsExactly(sentinel);
        assertThat(sentinel.isReady()).isTrue();
        assertThat(quick.exitCode()).isZero();
        assertThat(quick.sentinel()).isSameAs(sentinel);
    }

    @Test
    void waitAnyOverConnectionsAndSentinelsReturnsWhatIsReady() throws Exception {
        try (Listener listener = Listener.bind()) {
            SocketAddress address = listener.address();
            // The talker says hello, waits to be told to go, then exits; the sleeper exits on its own.
            MpProcess talker = Multiprocess.getContext().process(() -> {
                try (Connection parent = Client.connect(address)) {
                    parent.send("hello");
                    parent.recv();
                }
            });
            MpProcess sleeper = Multiprocess.getContext().process(() -> Thread.sleep(300));
            talker.start();
            try {
                Connection fromTalker = listener.accept();
                toClose.add(fromTalker);
                assertThat(Waitable.waitAny(List.of(fromTalker, talker.sentinel()), PATIENCE))
                        .containsExactly(fromTalker);
                assertThat(fromTalker.<String>recv()).isEqualTo("hello");

                sleeper.start();
                Duration timeout = Duration.ofMillis(200);
                long before = System.nanoTime();
                assertThat(Waitable.waitAny(List.of(fromTalker, talker.sentinel()), timeout))
                        .as("nothing to receive and the talker waits").isEmpty();
                assertThat(System.nanoTime() - before).isGreaterThanOrEqualTo(timeout.toNanos());

                List<Waitable> all = List.of(fromTalker, talker.sentinel(), sleeper.sentinel());
                assertThat(Waitable.waitAny(all, PATIENCE)).containsExactly(sleeper.sentinel());

                fromTalker.send("go");
                assertThat(talker.join(PATIENCE)).isTrue();
                assertThat(Waitable.waitAny(all, PATIENCE)).as("its end of stream, and its exit")
                        .containsExactly(fromTalker, talker.sentinel(), sleeper.sentinel());
            } finally {
                joinOrKill(talker);
                joinOrKill(sleeper);
            }
            assertThat(talker.exitCode()).isZero();
            assertThat(sleeper.exitCode()).isZero();
        }
    }

    @Test
    void aChildSeesItsParentsSentinelNotReadyWhileTheParentRuns() {
        MpProcess child = Multiprocess.getContext().process(() -> {
            Waitable parent = Multiprocess.parentProcess().orElseThrow().sentinel();
            List<Waitable> ready = Waitable.waitAny(List.of(parent), Duration.ofMillis(200));
            System.exit(ready.isEmpty() && !parent.isReady() ? 0 : 5);
        });
        child.start();
        joinOrKill(child);

        assertThat(child.exitCode()).isZero();
    }

    private ListenerClientTest.Pair pair() {
        ListenerClientTest.Pair pair = ListenerClientTest.Pair.open();
        toClose.add(pair);
        return pair;
    }
}
