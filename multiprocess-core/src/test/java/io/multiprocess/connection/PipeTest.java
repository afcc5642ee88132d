package io.multiprocess.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.multiprocess.BaseContext;
import io.multiprocess.MpProcess;
import io.multiprocess.Multiprocess;
import io.multiprocess.ProcessPool;
import io.multiprocess.errors.EndOfStreamException;
import io.multiprocess.internal.hosting.ObjectHost;
import io.multiprocess.queues.MpQueue;
import io.multiprocess.reduction.ReductionException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Pipes within one process and across real child JVMs. */
class PipeTest {

    private static final Duration LONG = Duration.ofSeconds(30);

    private final BaseContext ctx = Multiprocess.getContext("forkserver");

    @Test
    void aDuplexPipeCarriesObjectsAndBytesBothWaysKeepingBoundaries() {
        try (Pipe pipe = ctx.pipe()) {
            Connection a = pipe.first();
            Connection b = pipe.second();
            a.send(List.of(1, "two"));
            a.sendBytes(new byte[0]);
            a.sendBytes(new byte[] {1, 2, 3, 4, 5}, 1, 3);
            b.send("back");

            assertThat(b.<List<Object>>recv()).containsExactly(1, "two");
            assertThat(b.recvBytes()).isEmpty();
            assertThat(b.recvBytes()).containsExactly(2, 3, 4);
            assertThat(a.<String>recv()).isEqualTo("back");
            assertThat(a.readable() && a.writable() && b.readable() && b.writable()).isTrue();
        }
    }

    @Test
    void oneWayEndsRefuseTheWrongDirection() {
        Pipe pipe = ctx.pipe(false);
        Connection receiver = pipe.first();
        Connection sender = pipe.second();
        sender.send("only this way");

        assertThat(receiver.<String>recv()).isEqualTo("only this way");
        assertThat(receiver.writable()).isFalse();
        assertThat(sender.readable()).isFalse();
        assertThatThrownBy(() -> receiver.send("x")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("only receives");
        assertThatThrownBy(sender::recv).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("only sends");
        pipe.close();
    }

    @Test
    void bufferTooShortCarriesTheMessageAndTooLongClosesTheConnection() {
        Pipe pipe = ctx.pipe();
        pipe.first().sendBytes(new byte[] {9, 8, 7, 6});
        pipe.first().sendBytes(new byte[] {1, 2});
        pipe.first().sendBytes(new byte[100]);
        byte[] small = new byte[3];

        assertThatThrownBy(() -> pipe.second().recvBytesInto(small))
                .isInstanceOfSatisfying(BufferTooShortException.class,
                        e -> assertThat(e.getMessageBytes()).containsExactly(9, 8, 7, 6));
        byte[] buffer = new byte[5];
        assertThat(pipe.second().recvBytesInto(buffer, 3)).isEqualTo(2);
        assertThat(buffer).containsExactly(0, 0, 0, 1, 2);
        assertThatThrownBy(() -> pipe.second().recvBytes(10)).isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("at most 10");
        assertThat(pipe.second().isClosed()).isTrue();
        pipe.close();
    }

    @Test
    void pollWaitsAtMostItsTimeoutAndSeesAMessageWithoutTakingIt() {
        Pipe pipe = ctx.pipe();
        long start = System.nanoTime();
        boolean ready = pipe.second().poll(Duration.ofMillis(300));
        Duration waited = Duration.ofNanos(System.nanoTime() - start);

        assertThat(ready).isFalse();
        assertThat(waited).isBetween(Duration.ofMillis(290), Duration.ofSeconds(10));
        assertThat(pipe.second().poll()).isFalse();
        pipe.first().send(42);
        assertThat(pipe.second().poll(LONG)).isTrue();
        assertThat(pipe.second().poll()).isTrue();
        assertThat(pipe.second().<Integer>recv()).isEqualTo(42);
        assertThat(pipe.second().poll()).isFalse();
        pipe.close();
    }

    @Test
    void endOfStreamComesAfterEveryMessageSentBeforeClose() {
        Pipe pipe = ctx.pipe();
        pipe.first().send("last words");
        pipe.first().close();

        assertThat(pipe.second().<String>recv()).isEqualTo("last words");
        assertThatThrownBy(pipe.second()::recv).isInstanceOf(EndOfStreamException.class);
        assertThatThrownBy(pipe.second()::recv).isInstanceOf(EndOfStreamException.class);
        assertThat(pipe.second().poll()).isTrue();
        assertThatThrownBy(() -> pipe.first().send("x")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
        assertThatThrownBy(() -> pipe.second().send("to nobody")).isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("broken pipe");
    }

    @Test
    void closingAnEndWakesAThreadBlockedReceivingOnIt() throws Exception {
        Pipe pipe = ctx.pipe();
        Throwable[] failure = new Throwable[1];
        Thread receiver = new Thread(() -> {
            try {
                pipe.first().recv();
            } catch (RuntimeException e) {
                failure[0] = e;
            }
        });
        receiver.start();
        while (receiver.getState() != Thread.State.WAITING) {
            Thread.sleep(5);
        }
        pipe.first().close();
        receiver.join(LONG.toMillis());

        assertThat(receiver.isAlive()).isFalse();
        assertThat(failure[0]).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThatThrownBy(() -> pipe.second().send("after the close")).isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("broken pipe");
    }

    @Test
    void aSenderFasterThanItsReaderWaitsOnceAPipeIsAtItsCapacity() throws Exception {
        Pipe pipe = ctx.pipe(false);
        byte[] chunk = new byte[(int) (ObjectHost.PIPE_CAPACITY * 6 / 10)];
        Thread sender = new Thread(() -> {
            for (int i = 0; i < 4; i++) {
                pipe.second().sendBytes(chunk);
            }
        });
        sender.start();
        while (sender.getState() != Thread.State.WAITING && sender.isAlive()) {
            Thread.sleep(5);
        }

        assertThat(sender.isAlive()).as("a second message of 60% of the capacity does not fit beside the first").isTrue();
        for (int i = 0; i < 4; i++) {
            assertThat(pipe.first().recvBytes()).hasSize(chunk.length);
        }
        sender.join(LONG.toMillis());
        assertThat(sender.isAlive()).isFalse();
        pipe.close();
    }

    @Test
    void aChildSendsManyMegabytesThroughAPipeInOrder() {
        Pipe pipe = ctx.pipe(false);
        Connection reader = pipe.first();
        Connection writer = pipe.second();
        MpProcess child = ctx.process(() -> {
            byte[] chunk = new byte[256 * 1024];
            for (int i = 0; i < 64; i++) {
                chunk[0] = (byte) i;
                writer.sendBytes(chunk);
            }
        });
        child.start();
        writer.close();
        for (int i = 0; i < 64; i++) {
            byte[] received = reader.recvBytes();
            assertThat(received).hasSize(256 * 1024);
            assertThat(received[0]).isEqualTo((byte) i);
        }
        child.join();
        assertThatThrownBy(reader::recv).isInstanceOf(EndOfStreamException.class);
    }

    @Test
    void aChildPingPongsThroughAPipe() {
        Pipe pipe = ctx.pipe();
        Connection parentEnd = pipe.first();
        Connection childEnd = pipe.second();
        MpProcess child = ctx.process(() -> {
            int n;
            while ((n = childEnd.<Integer>recv()) > 0) {
                childEnd.send(n * n);
            }
        });
        child.start();
        childEnd.close();
        for (int i = 1; i <= 100; i++) {
            parentEnd.send(i);
            assertThat(parentEnd.<Integer>recv()).isEqualTo(i * i);
        }
        parentEnd.send(0);
        child.join();

        assertThat(child.exitCode()).isZero();
        // The child held its end until it exited, and the parent closed its copy: the stream has ended.
        assertThatThrownBy(parentEnd::recv).isInstanceOf(EndOfStreamException.class);
    }

    @Test
    void theReaderSeesTheEndWhenAChildHoldingTheOtherEndIsKilled() throws Exception {
        Pipe pipe = ctx.pipe(false);
        Connection reader = pipe.first();
        Connection writer = pipe.second();
        MpProcess child = ctx.process(() -> {
            writer.send("started");
            Thread.sleep(60_000);
        });
        child.start();
        writer.close();

        assertThat(reader.<String>recv()).isEqualTo("started");
        child.kill();
        child.join();
        assertThat(reader.poll(LONG)).isTrue();
        assertThatThrownBy(reader::recv).isInstanceOf(EndOfStreamException.class);
    }

    @Test
    void pipeEndsTravelInsideMessagesOnlyWhenConnectionPicklingIsAllowed() {
        MpQueue<Object> outcome = ctx.queue();
        MpProcess child = ctx.process(() -> {
            // A fresh child JVM has not allowed connection pickling.
            Pipe inner = Multiprocess.getContext().pipe();
            try {
                outcome.put(inner.first());
                outcome.put("sent");
            } catch (ReductionException e) {
                outcome.put("refused: " + e.getMessage());
            }
        });
        child.start();

        assertThat((String) outcome.get(LONG)).startsWith("refused: ").contains("allowConnectionPickling");
        child.join();

        Multiprocess.allowConnectionPickling();
        Pipe pipe = ctx.pipe();
        MpQueue<Connection> ends = ctx.queue();
        MpProcess receiver = ctx.process(() -> {
            Connection end = ends.get();
            end.send("via an end that came by queue, in " + ProcessHandle.current().pid());
        });
        receiver.start();
        ends.put(pipe.second());
        pipe.second().close();

        assertThat(pipe.first().<String>recv()).isEqualTo("via an end that came by queue, in " + receiver.pid());
        receiver.join();
        assertThatThrownBy(pipe.first()::recv).isInstanceOf(EndOfStreamException.class);
    }

    @Test
    void twoChildrenTalkThroughAPipeTheParentCreated() {
        Pipe pipe = ctx.pipe();
        Connection left = pipe.first();
        Connection right = pipe.second();
        MpProcess asker = ctx.process(() -> {
            left.send("ping");
            left.send(left.<String>recv() + "!");
        });
        MpProcess answerer = ctx.process(() -> right.send(right.<String>recv().replace('i', 'o')));
        asker.start();
        answerer.start();
        asker.join();
        answerer.join();
        left.close();

        assertThat(right.<String>recv()).isEqualTo("pong!");
        assertThatThrownBy(right::recv).isInstanceOf(EndOfStreamException.class);
    }

    @Test
    void pipeEndsWorkInsidePoolTasksAndWithWaitAny() {
        Pipe pipe = ctx.pipe(false);
        Connection reader = pipe.first();
        Connection writer = pipe.second();
        try (ProcessPool pool = ctx.pool(1)) {
            assertThat(Waitable.waitAny(List.of(reader), Duration.ofMillis(100))).isEmpty();
            pool.apply(() -> {
                writer.send("from a pool worker");
                return null;
            });

            assertThat(Waitable.waitAny(List.of(reader), LONG)).containsExactly(reader);
            assertThat(reader.<String>recv()).isEqualTo("from a pool worker");
        }
    }
}
