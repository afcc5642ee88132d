package io.multiprocess.synchronize;

import static io.multiprocess.synchronize.Children.PATIENCE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.multiprocess.BaseContext;
import io.multiprocess.MpProcess;
import io.multiprocess.Multiprocess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Barrier across child JVMs: Python's threading.Barrier behaviours, and a party that dies. */
class BarrierTest {

    @TempDir
    Path dir;

    @RegisterExtension
    final Children children = new Children();

    private final BaseContext ctx = Multiprocess.getContext();

    @Test
    void threeProcessesGetIndicesZeroToTwoEachRoundAndTheActionRunsOncePerRound() throws Exception {
        String actions = dir.resolve("actions").toString();
        Barrier barrier = ctx.barrier(3, () -> append(actions, "action"), null);
        List<Path> outs = new ArrayList<>();
        for (int p = 0; p < 3; p++) {
            Path out = dir.resolve("indices-" + p);
            outs.add(out);
            String file = out.toString();
            children.start(() -> {
                for (int round = 0; round < 3; round++) {
                    append(file, Integer.toString(barrier.await(PATIENCE)));
                }
            });
        }
        children.joinAllSucceeded();

        for (int round = 0; round < 3; round++) {
            List<Integer> indices = new ArrayList<>();
            for (Path out : outs) {
                indices.add(Integer.parseInt(Files.readAllLines(out).get(round)));
            }
            assertThat(indices).as("round %d", round).containsExactlyInAnyOrder(0, 1, 2);
        }
        assertThat(Files.readAllLines(Path.of(actions))).containsExactly("action", "action", "action");
        assertThat(barrier.parties()).isEqualTo(3);
        assertThat(barrier.numberWaiting()).isZero();
        assertThat(barrier.isBroken()).isFalse();
    }

    static void append(String file, String line) throws Exception {
        Files.writeString(Path.of(file), line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }

    @Test
    void abortBreaksTheWaitingAndLaterPartiesUntilReset() throws Exception {
        Barrier barrier = ctx.barrier(2);
        String out = dir.resolve("out").toString();
        children.start(() -> {
            try {
                barrier.await(PATIENCE);
                Files.writeString(Path.of(out), "passed");
            } catch (BarrierBrokenException e) {
                Files.writeString(Path.of(out), "broken");
            }
        });
        awaitWaiting(barrier, 1);

        barrier.abort();
        children.joinAllSucceeded();

        assertThat(Path.of(out)).hasContent("broken");
        assertThat(barrier.isBroken()).isTrue();
        assertThatThrownBy(() -> barrier.await(PATIENCE)).isInstanceOf(BarrierBrokenException.class)
                .hasMessageContaining("reset()");

        barrier.reset();
        assertThat(barrier.isBroken()).isFalse();
        assertThat(passTogether(barrier)).containsExactlyInAnyOrder(0, 1);
    }

    /** Both parties wait in this process: the main thread and one other. */
    private static List<Integer> passTogether(Barrier barrier) throws Exception {
        CompletableFuture<Integer> other = Children.inThread(() -> barrier.await(PATIENCE));
        int mine = barrier.await(PATIENCE);
        return List.of(mine, other.get());
    }

    private static void awaitWaiting(Barrier barrier, int n) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (barrier.numberWaiting() < n && System.nanoTime() < deadline) {
            Children.sleep(5);
        }
        assertThat(barrier.numberWaiting()).isEqualTo(n);
    }

    @Test
    void aTimeoutBreaksTheBarrierAndResetRepairsIt() throws Exception {
        Barrier barrier = ctx.barrier(2);
        long started = System.nanoTime();
        assertThatThrownBy(() -> barrier.await(Duration.ofMillis(200))).isInstanceOf(BarrierBrokenException.class)
                .hasMessageContaining("timed out");
        assertThat(System.nanoTime() - started).isGreaterThanOrEqualTo(Duration.ofMillis(200).toNanos());
        assertThat(barrier.isBroken()).isTrue();

        barrier.reset();
        assertThat(passTogether(barrier)).containsExactlyInAnyOrder(0, 1);
    }

    @Test
    void theDefaultTimeoutAppliesToAwaitWithoutOne() {
        Barrier barrier = ctx.barrier(2, null, Duration.ofMillis(200));

        assertThatThrownBy(barrier::await).isInstanceOf(BarrierBrokenException.class);
        assertThat(barrier.isBroken()).isTrue();
    }

    @Test
    void anActionThatThrowsBreaksTheBarrierAndTheLastPartyGetsItsException() throws Exception {
        Barrier barrier = ctx.barrier(2, () -> {
            throw new IllegalStateException("action failed on purpose");
        }, null);
        String out = dir.resolve("out").toString();
        children.start(() -> {
            try {
                barrier.await(PATIENCE);
                Files.writeString(Path.of(out), "passed");
            } catch (BarrierBrokenException e) {
                Files.writeString(Path.of(out), "broken");
            }
        });
        awaitWaiting(barrier, 1);

        assertThatThrownBy(() -> barrier.await(PATIENCE)).isInstanceOf(IllegalStateException.class)
                .hasMessage("action failed on purpose");
        children.joinAllSucceeded();

        assertThat(Path.of(out)).hasContent("broken");
        assertThat(barrier.isBroken()).isTrue();
    }

    @Test
    void aResetWhilePartiesWaitBreaksThemAndLeavesTheBarrierUsable() throws Exception {
        Barrier barrier = ctx.barrier(3);
        String out = dir.resolve("out").toString();
        children.start(() -> {
            try {
                barrier.await(PATIENCE);
                Files.writeString(Path.of(out), "passed");
            } catch (BarrierBrokenException e) {
                Files.writeString(Path.of(out), "broken");
            }
        });
        awaitWaiting(barrier, 1);

        barrier.reset();
        children.joinAllSucceeded();

        assertThat(Path.of(out)).hasContent("broken");
        assertThat(barrier.isBroken()).isFalse();
        Barrier two = ctx.barrier(2);
        assertThat(passTogether(two)).containsExactlyInAnyOrder(0, 1);
    }

    /** Beyond Python: the others are not left waiting for a party that can no longer come. */
    @Test
    void aPartyKilledWhileWaitingBreaksTheBarrierAndIsCountedOut() throws Exception {
        Barrier barrier = ctx.barrier(3);
        MpProcess killed = children.start(() -> barrier.await(PATIENCE.multipliedBy(2)));
        awaitWaiting(barrier, 1);
        CompletableFuture<Integer> other = Children.inThread(() -> barrier.await(PATIENCE));
        awaitWaiting(barrier, 2);

        killed.kill();

        assertThatThrownBy(other::get).hasCauseInstanceOf(BarrierBrokenException.class)
                .hasMessageContaining("process " + killed.pid() + " died waiting");
        assertThat(barrier.isBroken()).isTrue();
        barrier.reset();
        assertThat(barrier.numberWaiting()).isZero();
        CompletableFuture<Integer> first = Children.inThread(() -> barrier.await(PATIENCE));
        CompletableFuture<Integer> second = Children.inThread(() -> barrier.await(PATIENCE));
        int third = barrier.await(PATIENCE);
        assertThat(List.of(first.get(), second.get(), third)).containsExactlyInAnyOrder(0, 1, 2);
    }
}
