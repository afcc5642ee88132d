package io.multiprocess;

import static org.assertj.core.api.Assertions.assertThat;

import io.multiprocess.testing.ParentJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What happens to children when their parent JVM goes away: no orphans, daemon rules as in Python. */
class ParentExitTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"forkserver", "spawn"})
    void aParentKilledWithSigkillLeavesNoChildJvmBehind(String method) throws Exception {
        Process parent = ParentJvm.launch(method, "nondaemon", "stay", dir.resolve("done").toString(), "120000");
        try {
            long childPid = ParentJvm.readChildPid(parent);
            ProcessHandle child = ProcessHandle.of(childPid).orElseThrow();
            assertThat(child.isAlive()).isTrue();

            parent.destroyForcibly();

            assertEndedUnfinished(child);
        } finally {
            parent.destroyForcibly().waitFor();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"forkserver", "spawn"})
    void daemonicChildrenAreTerminatedWhenTheParentExits(String method) throws Exception {
        Process parent = ParentJvm.launch(method, "daemon", "return", dir.resolve("done").toString(), "120000");
        try {
            long childPid = ParentJvm.readChildPid(parent);
            // The parent returns as soon as it has printed the pid, so its exit may have ended the child already.
            java.util.Optional<ProcessHandle> child = ProcessHandle.of(childPid);

            assertThat(parent.waitFor(30, TimeUnit.SECONDS)).as("parent exits although its child sleeps").isTrue();
            if (child.isPresent()) {
                assertEndedUnfinished(child.get());
            } else {
                assertThat(dir.resolve("done")).doesNotExist();
            }
        } finally {
            parent.destroyForcibly().waitFor();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"forkserver", "spawn"})
    void aNonDaemonicChildKeepsItsParentAliveUntilItFinishes(String method) throws Exception {
        Path done = dir.resolve("done");
        Process parent = ParentJvm.launch(method, "nondaemon", "return", done.toString(), "1500");
        try {
            ParentJvm.readChildPid(parent);

            assertThat(parent.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(parent.exitValue()).isZero();
            assertThat(done).as("the parent exited only after its child finished").exists();
            assertThat(Files.readString(done)).isEqualTo("done");
        } finally {
            parent.destroyForcibly().waitFor();
        }
    }

    /** The child, which sleeps for two minutes before writing its file, ended soon and without finishing. */
    private void assertEndedUnfinished(ProcessHandle child) throws Exception {
        assertThat(child.onExit().get(20, TimeUnit.SECONDS).isAlive()).isFalse();
        assertThat(dir.resolve("done")).doesNotExist();
    }
}
