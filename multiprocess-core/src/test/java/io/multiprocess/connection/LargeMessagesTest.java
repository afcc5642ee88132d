package io.multiprocess.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.multiprocess.BaseContext;
import io.multiprocess.MpProcess;
import io.multiprocess.Multiprocess;
import io.multiprocess.errors.EndOfStreamException;
import io.multiprocess.errors.MultiprocessException;
import io.multiprocess.internal.hosting.ObjectHost;
import io.multiprocess.queues.MpQueue;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Messages large enough to travel through shared memory between the host of a pipe or queue and another process,
 * in both directions, at the edges of the mechanism (sizes around its threshold and its largest ring, a sender
 * that exits or is killed, interrupts).
 */
class LargeMessagesTest {

    private static final Duration LONG = Duration.ofSeconds(60);
    private static final int KIB = 1024;
    private static final int MIB = 1024 * KIB;

    private final BaseContext ctx = Multiprocess.getContext("forkserver");

    @Test
    void messagesOfEverySizeCrossBothWaysIntactAndInOrder() {
        Pipe pipe = ctx.pipe();
        Connection parentEnd = pipe.first();
        Connection childEnd = pipe.second();
        MpProcess child = ctx.process(() -> {
            byte[] message;
            while ((message = childEnd.recvBytes()).length > 0) {
                childEnd.sendBytes(message);
            }
        });
        child.start();
        childEnd.close();
        // Below and at the threshold, the ring's usual size, sizes that make it grow, one beyond the largest ring.
        List<Integer> sizes = List.of(64 * KIB - 1, 64 * KIB, MIB, MIB + 1, 700 * KIB, 3 * MIB, MIB, 40 * MIB,
                100 * KIB, 2 * MIB);
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < sizes.size(); i++) {
                byte[] message = pattern(sizes.get(i), round * 100 + i);
                parentEnd.sendBytes(message);
                assertThat(Arrays.equals(parentEnd.recvBytes(), message)).as("message %d of round %d", i, round)
                        .isTrue();
            }
        }
        parentEnd.sendBytes(new byte[0]);
        assertThat(child.join(LONG)).isTrue();
        assertThat(child.exitCode()).isZero();
        assertThatThrownBy(parentEnd::recvBytes).isInstanceOf(EndOfStreamException.class);
    }

    @Test
    void everyLargeMessageOfAChildThatExitsRightAfterSendingArrivesThenTheEnd() {
        Pipe pipe = ctx.pipe(false);
        Connection reader = pipe.first();
        Connection writer = pipe.second();
        MpProcess child = ctx.process(() -> {
            for (int i = 0; i < 20; i++) {
                writer.sendBytes(pattern(MIB, i));
            }
        });
        child.start();
        writer.close();

        // The child exits as soon as its last send returns, while its last messages are still on their way.
        for (int i = 0; i < 20; i++) {
            assertThat(Arrays.equals(reader.recvBytes(), pattern(MIB, i))).as("message %d", i).isTrue();
        }
        assertThat(child.join(LONG)).isTrue();
        assertThat(child.exitCode()).isZero();
        assertThatThrownBy(reader::recvBytes).isInstanceOf(EndOfStreamException.class);
    }

    @Test
    void whenAChildSendingLargeMessagesIsKilledEveryMessageReceivedIsWholeThenTheStreamEnds() {
        Pipe pipe = ctx.pipe(false);
        Connection reader = pipe.first();
        Connection writer = pipe.second();
        MpProcess child = ctx.process(() -> {
            for (int i = 0; ; i++) {
                writer.sendBytes(pattern(MIB + i % 7, i));
            }
        });
        child.start();
        writer.close();
        for (int i = 0; i < 10; i++) {
            assertThat(Arrays.equals(reader.recvBytes(), pattern(MIB + i % 7, i))).isTrue();
        }
        child.kill();
        child.join(LONG);

        int i = 10;
        while (true) {
            byte[] message;
            try {
                message = reader.recvBytes();
            } catch (EndOfStreamException e) {
                break;
            }
            assertThat(Arrays.equals(message, pattern(MIB + i % 7, i))).as("message %d", i).isTrue();
            i++;
        }
    }

    @Test
    void aReceiverInterruptedWhileWaitingForALargeMessageGetsItOnItsNextReceive() throws Exception {
        Pipe pipe = ctx.pipe();
        Connection parentEnd = pipe.first();
        Connection childEnd = pipe.second();
        MpProcess child = ctx.process(() -> {
            AtomicReference<Throwable> interrupted = new AtomicReference<>();
            Thread receiver = new Thread(() -> {
                try {
                    childEnd.recvBytes();
                } catch (Throwable e) {
                    interrupted.set(e);
                }
            });
            receiver.start();
            while (receiver.getState() != Thread.State.WAITING) {
                Thread.sleep(5);
            }
            receiver.interrupt();
            receiver.join();
            childEnd.send(String.valueOf(interrupted.get()));
            byte[] message = childEnd.recvBytes();
            childEnd.send(Arrays.equals(message, pattern(3 * MIB, 3)));
        });
        child.start();
        childEnd.close();

        assertThat(parentEnd.<String>recv()).startsWith(MultiprocessException.class.getName())
                .contains("interrupted");
        parentEnd.sendBytes(pattern(3 * MIB, 3));
        assertThat(parentEnd.<Boolean>recv()).isTrue();
        assertThat(child.join(LONG)).isTrue();
    }

    @Test
    void anInterruptedLargeSendIsWithdrawnAndTheMessagesBeforeAndAfterItArriveWhole() throws Exception {
        Pipe pipe = ctx.pipe(false);
        Connection reader = pipe.first();
        Connection writer = pipe.second();
        MpQueue<String> go = ctx.queue();
        MpProcess child = ctx.process(() -> {
            go.get();
            int count = 0;
            byte[] message;
            while ((message = reader.recvBytes()).length > 0) {
                if (!Arrays.equals(message, pattern(MIB, message[0]))) {
                    throw new AssertionError("message " + count + " was damaged");
                }
                count++;
            }
            go.put(String.valueOf(count));
        });
        child.start();
        reader.close();
        // Fill the pipe to its capacity, so the next send waits.
        int before = (int) (ObjectHost.PIPE_CAPACITY / MIB);
        for (int i = 1; i <= before; i++) {
            writer.sendBytes(pattern(MIB, i));
        }
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread sender = new Thread(() -> {
            try {
                writer.sendBytes(pattern(MIB, 99));
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        sender.start();
        while (sender.getState() != Thread.State.WAITING && sender.isAlive()) {
            Thread.sleep(5);
        }
        sender.interrupt();
        sender.join(LONG.toMillis());

        assertThat(failure.get()).isInstanceOf(MultiprocessException.class).hasMessageContaining("interrupted");
        go.put("go");
        writer.sendBytes(pattern(MIB, 100));
        writer.sendBytes(new byte[0]);
        assertThat(go.get(LONG)).isEqualTo(String.valueOf(before + 1));
        assertThat(child.join(LONG)).isTrue();
        assertThat(child.exitCode()).isZero();
    }

    @Test
    void aLargeMessageTooLongForTheBufferIsConsumedAndCarriedByTheException() {
        Pipe pipe = ctx.pipe(false);
        Connection reader = pipe.first();
        Connection writer = pipe.second();
        MpProcess child = ctx.process(() -> {
            writer.sendBytes(pattern(2 * MIB, 5));
            writer.sendBytes(pattern(MIB, 6));
        });
        child.start();
        writer.close();
        byte[] buffer = new byte[MIB + 16];

        assertThatThrownBy(() -> reader.recvBytesInto(buffer, 16)).isInstanceOfSatisfying(
                BufferTooShortException.class,
                e -> assertThat(Arrays.equals(e.getMessageBytes(), pattern(2 * MIB, 5))).isTrue());
        assertThat(reader.recvBytesInto(buffer, 16)).isEqualTo(MIB);
        assertThat(Arrays.equals(buffer, 16, buffer.length, pattern(MIB, 6), 0, MIB)).isTrue();
        assertThat(child.join(LONG)).isTrue();
    }

    @Test
    void largeQueueItemsCrossBothWays() {
        MpQueue<byte[]> requests = ctx.queue();
        MpQueue<byte[]> replies = ctx.queue();
        MpProcess child = ctx.process(() -> {
            byte[] item;
            while ((item = requests.get()).length > 0) {
                replies.put(item);
            }
        });
        child.start();
        for (int i = 0; i < 5; i++) {
            requests.put(pattern(MIB * (i + 1) / 2 + 1, i));
        }
        for (int i = 0; i < 5; i++) {
            assertThat(Arrays.equals(replies.get(LONG), pattern(MIB * (i + 1) / 2 + 1, i))).isTrue();
        }
        requests.put(new byte[0]);
        assertThat(child.join(LONG)).isTrue();
    }

    /** Bytes that differ at every position and from one seed to the next; the first is the seed. */
    static byte[] pattern(int size, int seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        if (size > 0) {
            bytes[0] = (byte) seed;
        }
        return bytes;
    }
}
