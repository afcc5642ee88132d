package io.multiprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.multiprocess.reduction.ReductionException;
import io.multiprocess.testing.ChildOutput;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** MpProcess on real child JVMs, under both start methods. */
class MpProcessTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"forkserver", "spawn"})
    void lambdaCapturingLocalsRunsInAChildWithItsOwnPid(String method) throws Exception {
        BaseContext ctx = Multiprocess.getContext(method);
        String out = dir.resolve("out.txt").toString();
        int factor = 6;
        String label = "answer";
        MpProcess p = ctx.process(() -> Files.writeString(Path.of(out),
                label + "=" + factor * 7 + " pid=" + ProcessHandle.current().pid()));
        p.start();
        p.join();

        assertThat(p.exitCode()).isZero();
        assertThat(Files.readString(Path.of(out))).isEqualTo("answer=42 pid=" + p.pid());
        assertThat(p.pid()).isNotEqualTo(ProcessHandle.current().pid());
    }

    @ParameterizedTest
    @ValueSource(strings = {"forkserver", "spawn"})
    void exitCodesFollowPython(String method) throws Exception {
        BaseContext ctx = Multiprocess.getContext(method);
        MpProcess normal = ctx.process(() -> { });
        MpProcess exits = ctx.process(() -> System.exit(7));
        MpProcess exitsWithSignalLikeCode = ctx.process(() -> System.exit(137));
        MpProcess fails = ctx.process("Failing", () -> {
            throw new IllegalStateException("boom in child");
        });
        String stderr = ChildOutput.captureStderr(() -> {
            for (MpProcess p : List.of(normal, exits, exitsWithSignalLikeCode, fails)) {
                p.start();
            }
            for (MpProcess p : List.of(normal, exits, exitsWithSignalLikeCode, fails)) {
                p.join();
            }
            return null;
        });

        assertThat(normal.exitCode()).isZero();
        assertThat(exits.exitCode()).isEqualTo(7);
        assertThat(exitsWithSignalLikeCode.exitCode()).as("System.exit(137) is a code, not SIGKILL").isEqualTo(137);
        assertThat(fails.exitCode()).isEqualTo(1);
        assertThat(stderr).contains("Process Failing:")
                .contains("java.lang.IllegalStateException: boom in child");
    }

    @ParameterizedTest
    @ValueSource(strings = {"forkserver", "spawn"})
    void terminateAndKillEndASleepingChildWithNegativeSignalCodes(String method) throws Exception {
        BaseContext ctx = Multiprocess.getContext(method);
        String ready = dir.resolve("ready").toString();
        MpProcess terminated = ctx.process(() -> sleepAfterSignalling(ready + "1"));
        MpProcess killed = ctx.process(() -> sleepAfterSignalling(ready + "2"));
        terminated.start();
        killed.start();
        awaitFile(Path.of(ready + "1"));
        awaitFile(Path.of(ready + "2"));
        assertThat(terminated.isAlive()).isTrue();
        assertThat(terminated.exitCode()).isNull();

        terminated.terminate();
        killed.kill();
        terminated.join();
        killed.join();

        assertThat(terminated.exitCode()).isEqualTo(-15);
        assertThat(killed.exitCode()).isEqualTo(-9);
        assertThat(terminated.isAlive()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"forkserver", "spawn"})
    void joinWithTimeoutReturnsWhileTheChildStillRuns(String method) {
        MpProcess p = Multiprocess.getContext(method).process(() -> Thread.sleep(60_000));
        p.start();
        long started = System.nanoTime();
        boolean exited = p.join(Duration.ofMillis(300));
        long waitedMillis = (System.nanoTime() - started) / 1_000_000;

        assertThat(exited).isFalse();
        assertThat(waitedMillis).as("join(300ms) waited for the child instead of the timeout").isLessThan(10_000);
        assertThat(p.isAlive()).isTrue();
        p.kill();
        assertThat(p.join(Duration.ofSeconds(30))).isTrue();
        assertThat(p.join(Duration.ZERO)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"forkserver", "spawn"})
    void childKnowsItsNameAndPidAndItsParent(String method) throws Exception {
        String out = dir.resolve("who").toString();
        MpProcess p = Multiprocess.getContext(method).process("worker-a", () -> {
            MpProcess me = Multiprocess.currentProcess();
            MpProcess parent = Multiprocess.parentProcess().orElseThrow();
            Files.writeString(Path.of(out), me.getName() + " " + me.pid() + " " + parent.getName() + " "
                    + parent.pid() + " " + parent.isAlive());
        });
        p.start();
        p.join();

        assertThat(Files.readString(Path.of(out))).isEqualTo("worker-a " + p.pid() + " MainProcess "
                + ProcessHandle.current().pid() + " true");
        assertThat(Multiprocess.parentProcess()).isEmpty();
        assertThat(Multiprocess.currentProcess().getName()).isEqualTo("MainProcess");
        assertThat(Multiprocess.currentProcess().pid()).isEqualTo(ProcessHandle.current().pid());
    }

    @ParameterizedTest
    @ValueSource(strings = {"forkserver", "spawn"})
    void childStartsAGrandchildNamedAfterItsIdentity(String method) throws Exception {
        String out = dir.resolve("grandchild").toString();
        MpProcess p = Multiprocess.getContext(method).process(() -> {
            MpProcess grandchild = new MpProcess(() -> Files.writeString(Path.of(out),
                    Multiprocess.currentProcess().getName() + " " + Multiprocess.getStartMethod()));
            grandchild.start();
            grandchild.join();
            System.exit(grandchild.exitCode());
        });
        p.start();
        p.join();

        assertThat(p.exitCode()).isZero();
        assertThat(Files.readString(Path.of(out))).isEqualTo(p.getName() + ":1 " + method);
    }

    @ParameterizedTest
    @ValueSource(strings = {"forkserver", "spawn"})
    void aDaemonicProcessMayNotHaveChildren(String method) throws Exception {
        MpProcess p = Multiprocess.getContext(method).process(() -> new MpProcess(() -> { }).start());
        p.setDaemon(true);
        String stderr = ChildOutput.captureStderr(() -> {
            p.start();
            p.join();
            return null;
        });

        assertThat(p.exitCode()).isEqualTo(1);
        assertThat(stderr).contains("daemonic processes are not allowed to have children");
    }

    @ParameterizedTest
    @ValueSource(strings = {"forkserver", "spawn"})
    void startingTwiceIsAnError(String method) {
        MpProcess p = Multiprocess.getContext(method).process(() -> { });
        p.start();

        assertThatThrownBy(p::start).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already started");
        p.join();
        assertThatThrownBy(() -> p.setDaemon(true)).isInstanceOf(IllegalStateException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"forkserver", "spawn"})
    void aCaptureThatCannotBeReducedFailsAtStartAndStartsNothing(String method) {
        Runnable notSerializable = () -> { };
        MpProcess p = Multiprocess.getContext(method).process(() -> notSerializable.run());

        assertThatThrownBy(p::start).isInstanceOf(ReductionException.class)
                .hasMessageContaining(p.getName())
                .hasMessageContaining("kryo")
                .hasMessageContaining("Serializable");
        assertThat(p.pid()).isNull();
        assertThat(p.exitCode()).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"forkserver", "spawn"})
    void activeChildrenListsRunningChildrenAndReapsFinishedOnes(String method) {
        BaseContext ctx = Multiprocess.getContext(method);
        MpProcess sleeper = ctx.process(() -> Thread.sleep(60_000));
        MpProcess quick = ctx.process(() -> { });
        sleeper.start();
        quick.start();
        quick.join(Duration.ofSeconds(30));

        assertThat(Multiprocess.activeChildren()).contains(sleeper).doesNotContain(quick);
        sleeper.terminate();
        sleeper.join();
        assertThat(Multiprocess.activeChildren()).doesNotContain(sleeper, quick);
    }

    @ParameterizedTest
    @ValueSource(strings = {"forkserver", "spawn"})
    void closeRefusesARunningProcessAndDisablesAClosedOne(String method) {
        MpProcess p = Multiprocess.getContext(method).process(() -> Thread.sleep(60_000));
        p.start();

        assertThatThrownBy(p::close).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("still running");
        p.kill();
        p.join();
        p.close();
        assertThatThrownBy(p::isAlive).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThatThrownBy(p::exitCode).isInstanceOf(IllegalStateException.class);
        assertThat(p.toString()).contains("closed");
    }

    @ParameterizedTest
    @ValueSource(strings = {"forkserver", "spawn"})
    void onExitCompletesWithTheExitCode(String method) throws Exception {
        MpProcess p = Multiprocess.getContext(method).process(() -> System.exit(3));
        p.start();

        assertThat(p.onExit().get(30, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(3);
    }

    @ParameterizedTest
    @ValueSource(strings = {"forkserver", "spawn"})
    void aSubclassOverridingRunCarriesItsFieldsToTheChild(String method) throws Exception {
        Path out = dir.resolve("subclass");
        Writer p = new Writer(Multiprocess.getContext(method), out.toString(), "from a subclass");
        p.start();
        p.join();

        assertThat(p.exitCode()).isZero();
        assertThat(Files.readString(out, StandardCharsets.UTF_8)).isEqualTo("from a subclass");
    }

    @org.junit.jupiter.api.Test
    void operationsBeforeStartSayWhatToDo() {
        MpProcess p = Multiprocess.getContext().process(() -> { });

        assertThat(p.getName()).matches("Process-\\d+");
        assertThat(p.isAlive()).isFalse();
        assertThat(p.pid()).isNull();
        assertThat(p.exitCode()).isNull();
        assertThatThrownBy(p::join).isInstanceOf(IllegalStateException.class).hasMessageContaining("start()");
        assertThatThrownBy(p::terminate).isInstanceOf(IllegalStateException.class);
        assertThat(p.toString()).contains("initial");
        assertThatThrownBy(() -> Multiprocess.currentProcess().start()).isInstanceOf(IllegalStateException.class);
    }

    static final class Writer extends MpProcess {
        private static final long serialVersionUID = 1L;
        private final String file;
        private final String text;

        Writer(BaseContext context, String file, String text) {
            super(context);
            this.file = file;
            this.text = text;
        }

        /** For reducers that rebuild objects through a no-argument constructor (jackson). */
        private Writer() {
            this.file = null;
            this.text = null;
        }

        @Override
        public void run() throws Exception {
            Files.writeString(Path.of(file), text, StandardCharsets.UTF_8);
        }
    }

    static void sleepAfterSignalling(String file) throws Exception {
        Files.writeString(Path.of(file), "ready");
        Thread.sleep(60_000);
    }

    static void awaitFile(Path file) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!Files.exists(file) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(file).exists();
    }
}
