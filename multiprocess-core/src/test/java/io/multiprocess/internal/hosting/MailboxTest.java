package io.multiprocess.internal.hosting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The state behind every queue and pipe, alone: no socket, no JVM. A queue's and a pipe's rules (order, bounds,
 * end of stream, broken pipe, joins) are decided here, so they are tested here.
 */
class MailboxTest {

    private static final long NO_TIMEOUT = -1;
    private static final long NO_WAIT = 0;
    private static final long UNLIMITED_BYTES = Long.MAX_VALUE;

    private static byte[] bytes(int value) {
        return new byte[] {(byte) value};
    }

    private static Mailbox mailbox(int maxsize) {
        return new Mailbox(1, maxsize, UNLIMITED_BYTES);
    }

    @Test
    void messagesComeOutInTheOrderTheyWentIn() {
        Mailbox box = mailbox(0);
        for (int i = 0; i < 5; i++) {
            assertThat(box.put(bytes(i), NO_TIMEOUT)).isCompletedWithValue(true);
        }
        List<Byte> out = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            out.add(box.get(NO_WAIT).join()[0]);
        }
        assertThat(out).containsExactly((byte) 0, (byte) 1, (byte) 2, (byte) 3, (byte) 4);
        assertThat(box.size()).isZero();
    }

    @Test
    void aGetWaitsForThePutAndGetsItsMessageDirectly() {
        Mailbox box = mailbox(0);
        CompletableFuture<byte[]> get = box.get(NO_TIMEOUT);
        assertThat(get).isNotDone();
        box.put(bytes(7), NO_TIMEOUT);
        assertThat(get.join()).containsExactly(7);
        assertThat(box.size()).as("handed over, never stored").isZero();
    }

    @Test
    void waitingGettersAreServedInArrivalOrder() {
        Mailbox box = mailbox(0);
        CompletableFuture<byte[]> first = box.get(NO_TIMEOUT);
        CompletableFuture<byte[]> second = box.get(NO_TIMEOUT);
        box.put(bytes(1), NO_TIMEOUT);
        box.put(bytes(2), NO_TIMEOUT);
        assertThat(first.join()).containsExactly(1);
        assertThat(second.join()).containsExactly(2);
    }

    @Test
    void aGetThatMustNotWaitCompletesWithNullWhenEmpty() {
        assertThat(mailbox(0).get(NO_WAIT)).isCompletedWithValue(null);
    }

    @Test
    void aGetTimesOutWithNullAndLeavesTheNextMessageForTheNextGetter() throws Exception {
        Mailbox box = mailbox(0);
        CompletableFuture<byte[]> get = box.get(TimeUnit.MILLISECONDS.toNanos(50));
        assertThat(get.get(10, TimeUnit.SECONDS)).isNull();
        box.put(bytes(3), NO_TIMEOUT);
        assertThat(box.size()).as("the expired getter took nothing").isEqualTo(1);
    }

    @Test
    void aBoundedMailboxMakesThePutWaitUntilAGetMakesRoom() {
        Mailbox box = mailbox(1);
        box.put(bytes(1), NO_TIMEOUT);
        CompletableFuture<Boolean> waiting = box.put(bytes(2), NO_TIMEOUT);
        assertThat(waiting).isNotDone();
        assertThat(box.put(bytes(3), NO_WAIT)).as("a put that must not wait").isCompletedWithValue(false);
        assertThat(box.get(NO_WAIT).join()).containsExactly(1);
        assertThat(waiting).isCompletedWithValue(true);
        assertThat(box.get(NO_WAIT).join()).containsExactly(2);
    }

    @Test
    void aWaitingPutTimesOutWithFalseAndItsMessageNeverArrives() throws Exception {
        Mailbox box = mailbox(1);
        box.put(bytes(1), NO_TIMEOUT);
        CompletableFuture<Boolean> put = box.put(bytes(2), TimeUnit.MILLISECONDS.toNanos(50));
        assertThat(put.get(10, TimeUnit.SECONDS)).isFalse();
        box.get(NO_WAIT).join();
        assertThat(box.get(NO_WAIT)).isCompletedWithValue(null);
    }

    @Test
    void theByteBudgetHoldsBackALargeSecondMessageButNeverTheFirst() {
        Mailbox box = new Mailbox(1, 0, 10);
        assertThat(box.put(new byte[100], NO_TIMEOUT)).as("one message always fits").isCompletedWithValue(true);
        CompletableFuture<Boolean> second = box.put(new byte[5], NO_TIMEOUT);
        assertThat(second).isNotDone();
        box.get(NO_WAIT).join();
        assertThat(second).isCompletedWithValue(true);
    }

    @Test
    void closingTheWritingEndGivesWhatIsLeftThenTheEnd() {
        Mailbox box = mailbox(0);
        box.put(bytes(1), NO_TIMEOUT);
        box.closeWriting();
        assertThat(box.get(NO_WAIT).join()).containsExactly(1);
        assertThat(box.get(NO_WAIT).join()).isSameAs(Mailbox.END);
        assertThat(box.get(NO_TIMEOUT).join()).isSameAs(Mailbox.END);
    }

    @Test
    void closingTheWritingEndWakesWaitingGettersWithTheEnd() {
        Mailbox box = mailbox(0);
        CompletableFuture<byte[]> get = box.get(NO_TIMEOUT);
        box.closeWriting();
        assertThat(get.join()).isSameAs(Mailbox.END);
    }

    @Test
    void closingTheReadingEndBreaksWaitingAndLaterPuts() {
        Mailbox box = mailbox(1);
        box.put(bytes(1), NO_TIMEOUT);
        CompletableFuture<Boolean> waiting = box.put(bytes(2), NO_TIMEOUT);
        box.closeReading();
        assertThat(box.size()).as("messages nobody will read are dropped").isZero();
        assertThatThrownBy(waiting::get).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(UncheckedIOException.class).hasMessageContaining("broken pipe");
        assertThat(box.put(bytes(3), NO_TIMEOUT)).isCompletedExceptionally();
    }

    @Test
    void aWithdrawnGetterGetsNullAndTheMessageStays() {
        Mailbox box = mailbox(0);
        CompletableFuture<byte[]> get = box.get(NO_TIMEOUT);
        assertThat(box.withdraw(get)).isTrue();
        assertThat(get).isCompletedWithValue(null);
        box.put(bytes(4), NO_TIMEOUT);
        assertThat(box.withdraw(get)).as("already done").isFalse();
        assertThat(box.size()).isEqualTo(1);
    }

    @Test
    void aMessagePutBackComesOutFirst() {
        Mailbox box = mailbox(0);
        box.put(bytes(2), NO_TIMEOUT);
        box.putBackFirst(bytes(1));
        assertThat(box.get(NO_WAIT).join()).containsExactly(1);
        assertThat(box.get(NO_WAIT).join()).containsExactly(2);
    }

    @Test
    void joinCompletesWhenEveryMessagePutIsDone() {
        Mailbox box = mailbox(0);
        assertThat(box.join(NO_WAIT)).as("nothing put yet").isCompletedWithValue(true);
        box.put(bytes(1), NO_TIMEOUT);
        box.put(bytes(2), NO_TIMEOUT);
        CompletableFuture<Boolean> join = box.join(NO_TIMEOUT);
        box.taskDone();
        assertThat(join).isNotDone();
        box.taskDone();
        assertThat(join).isCompletedWithValue(true);
        assertThatThrownBy(box::taskDone).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("more times than there were items put");
    }

    @Test
    void aReadyActionRunsWhenAMessageArrivesAndNotAfterItsCancellation() {
        Mailbox box = mailbox(0);
        List<String> ran = new ArrayList<>();
        box.whenReady(() -> ran.add("first"));
        Runnable cancel = box.whenReady(() -> ran.add("cancelled"));
        cancel.run();
        assertThat(ran).isEmpty();
        box.put(bytes(1), NO_TIMEOUT);
        assertThat(ran).containsExactly("first");
        box.whenReady(() -> ran.add("at once"));
        assertThat(ran).containsExactly("first", "at once");
    }
}
