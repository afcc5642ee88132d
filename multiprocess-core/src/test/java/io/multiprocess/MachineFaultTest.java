package io.multiprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.multiprocess.internal.ConnectTimeout;
import io.multiprocess.internal.launch.GarbageChild;
import io.multiprocess.pool.PoolOptions;
import io.multiprocess.pool.PoolState;
import io.multiprocess.pool.TaskFailedException;
import io.multiprocess.testing.FreshContexts;
import io.multiprocess.testing.MachineFaultParent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Faults of the machine rather than of the code: a child that never connects, a child that writes garbage to its
 * socket, /dev/shm full, the runtime directory full or read-only. Each is injected for real (a wrapper executable in
 * place of java, a tiny tmpfs mounted in a mount namespace of the test's own) and must end in a clear error, no hang
 * and no process left. The open-file limit is {@code AcceptorFloodTest}'s.
 */
@EnabledOnOs(OS.LINUX)
class MachineFaultTest {

    private static final Duration CONNECT_TIMEOUT = Duration.ofMillis(1500);

    @RegisterExtension
    final FreshContexts contexts = new FreshContexts();

    @TempDir
    Path dir;

    private final String connectTimeoutBefore = System.getProperty(ConnectTimeout.PROPERTY);

    /**
     * Only for tests whose children never connect: a real child JVM on a busy machine may take longer than this to
     * authenticate.
     */
    private void shortConnectDeadline() {
        System.setProperty(ConnectTimeout.PROPERTY, CONNECT_TIMEOUT.toMillis() + "ms");
    }

    @AfterEach
    void restoreConnectDeadline() {
        if (connectTimeoutBefore == null) {
            System.clearProperty(ConnectTimeout.PROPERTY);
        } else {
            System.setProperty(ConnectTimeout.PROPERTY, connectTimeoutBefore);
        }
    }

    @Test
    void aChildThatNeverConnectsIsKilledAtTheDeadline() throws Exception {
        shortConnectDeadline();
        BaseContext context = contextWithExecutable(script("never-connects", "exec sleep 300"));
        MpProcess process = context.process(() -> { });
        long started = System.nanoTime();
        process.start();

        assertThat(process.join(Duration.ofSeconds(30))).as("join() returns once the deadline killed it").isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(CONNECT_TIMEOUT)
                .isLessThan(Duration.ofSeconds(20));
        assertThat(process.exitCode()).isEqualTo(-9);
        assertThat(ProcessHandle.of(process.pid()).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    }

    @Test
    void aChildThatIsSlowToStartButWorkingIsGivenMoreTime() throws Exception {
        shortConnectDeadline();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // About 2.5 s of the shell's own CPU (its arithmetic, no child process), then the real JVM: past the first
        // deadline, well within the extensions (5 x 1.5 s) on a busy machine.
        BaseContext context = contextWithExecutable(script("slow-start", """
                i=0; while [ $i -lt 2000000 ]; do i=$((i+1)); done
                exec '%s' "$@"
                """.formatted(java)));
        MpProcess process = context.process(() -> { });
        process.start();

        assertThat(process.join(Duration.ofSeconds(60))).isTrue();
        assertThat(process.exitCode()).as("not killed at the %s deadline while it worked", CONNECT_TIMEOUT)
                .isZero();
    }

    @Test
    void aPoolWhoseWorkersNeverConnectBreaksNamingTheDeadline() throws Exception {
        shortConnectDeadline();
        BaseContext context = contextWithExecutable(script("never-connects", "exec sleep 300"));
        try (ProcessPool pool = context.pool(PoolOptions.defaults().processes(1))) {
            assertThatThrownBy(() -> pool.applyAsync(() -> 1).get(60, TimeUnit.SECONDS))
                    .hasStackTraceContaining("did not connect back to its parent within")
                    .hasStackTraceContaining(ConnectTimeout.PROPERTY);
            assertThat(pool.snapshot().state()).isEqualTo(PoolState.BROKEN);
        }
    }

    @Test
    void aChildThatWritesGarbageOnItsSocketIsKilledNotTrusted() throws Exception {
        BaseContext context = contextWithExecutable(garbageChildExecutable());
        try (ProcessPool pool = context.pool(PoolOptions.defaults().processes(1))) {
            assertThatThrownBy(() -> pool.applyAsync(() -> 1).get(60, TimeUnit.SECONDS))
                    .hasStackTraceContaining("cannot read as a message");
            assertThat(pool.snapshot().state()).isEqualTo(PoolState.BROKEN);
        }
    }

    @Test
    void aWorkerThatWritesGarbageMidTaskFailsItsTaskAndIsReplaced() throws Exception {
        BaseContext context = contexts.create("spawn");
        try (ProcessPool pool = context.pool(PoolOptions.defaults().processes(1))) {
            long firstPid = pool.apply(() -> ProcessHandle.current().pid());

            assertThatThrownBy(() -> pool.applyAsync(() -> {
                GarbageChild.writeGarbage();
                Thread.sleep(300_000);
                return 0;
            }).get(60, TimeUnit.SECONDS)).isInstanceOf(java.util.concurrent.ExecutionException.class)
                    .hasCauseInstanceOf(TaskFailedException.class)
                    .hasStackTraceContaining("cannot read as a message")
                    .hasStackTraceContaining("worker pid " + firstPid);

            assertThat(pool.apply(() -> 6 * 7)).isEqualTo(42);
            assertThat(pool.apply(() -> ProcessHandle.current().pid())).isNotEqualTo(firstPid);
            assertThat(ProcessHandle.of(firstPid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
            assertThat(pool.snapshot().state()).isEqualTo(PoolState.RUNNING);
        }
    }

    @Test
    void aFullDevShmFailsTheCreateNotTheJvm() throws Exception {
        Map<String, String> outcome = runUnshared("mount -t tmpfs -o size=256k tmpfs /dev/shm", List.of(),
                "shm-full");

        assertThat(outcome.get("segment")).startsWith("error")
                .contains("/dev/shm has no room for a segment of 1048576 bytes").contains("No space left on device");
        assertThat(outcome.get("segment-files-left")).isEqualTo("0");
        assertThat(outcome.get("value")).startsWith("error").contains("has no room");
        assertThat(outcome.get("lock")).startsWith("error").contains("has no room");
        assertThat(outcome.get("process")).startsWith("ok exit code 0");
        assertThat(outcome.get("pool")).startsWith("ok apply gave 42");
        assertThat(outcome.get("end")).isEqualTo("0");
    }

    /** Read-only, or full: {@code nr_inodes=1} leaves the tmpfs's root the only inode, so nothing can be made. */
    @ParameterizedTest
    @CsvSource({"ro, Read-only file system", "nr_inodes=1, No space left on device"})
    void anUnwritableRuntimeDirectoryIsAClearError(String mountOption, String reason) throws Exception {
        Path tmp = Files.createDirectory(dir.resolve("tmp"));
        Map<String, String> outcome = runUnshared("mount -t tmpfs -o " + mountOption + " tmpfs " + tmp,
                List.of("-Djava.io.tmpdir=" + tmp), "runtime-dir");

        assertThat(outcome.get("process")).startsWith("error").contains("cannot create a private directory for "
                + "sockets under " + tmp).contains(reason).contains("set java.io.tmpdir");
        assertThat(outcome.get("pool")).startsWith("error").contains("set java.io.tmpdir");
        assertThat(outcome.get("end")).isEqualTo("0");
    }

    private BaseContext contextWithExecutable(Path executable) {
        BaseContext context = contexts.create("spawn");
        context.setExecutable(executable);
        return context;
    }

    /** A stand-in for java that runs {@link GarbageChild} in place of ChildMain, with the same arguments. */
    private Path garbageChildExecutable() throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return script("garbage-child", """
                for argument do
                  shift
                  if [ "$argument" = io.multiprocess.ChildMain ]; then
                    set -- "$@" %s
                  else
                    set -- "$@" "$argument"
                  fi
                done
                exec '%s' "$@"
                """.formatted(GarbageChild.class.getName(), java));
    }

    private Path script(String name, String body) throws IOException {
        Path script = dir.resolve(name + ".sh");
        Files.writeString(script, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }

    /**
     * Runs {@link MachineFaultParent} in a mount namespace of its own after {@code mount}, and returns the lines it
     * printed as key and value. Skipped where this machine cannot make such a namespace.
     */
    private Map<String, String> runUnshared(String mount, List<String> jvmArguments, String mode) throws Exception {
        assumeTrue(canUnshare(), "unshare -rm is not permitted here (no user namespaces)");
        List<String> command = new ArrayList<>(List.of("unshare", "-rm", "sh", "-c", mount + " && exec \"$@\"",
                "sh", Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(jvmArguments);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), MachineFaultParent.class.getName(),
                mode));
        // Into a file, read once the parent has ended: its children inherit its stdout, so a pipe could stay open
        // after it.
        Path printed = dir.resolve(mode + ".out");
        Process parent = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT)
                .redirectOutput(printed.toFile()).start();
        try {
            assertThat(parent.waitFor(120, TimeUnit.SECONDS)).as("the parent on a faulty machine ends").isTrue();
        } finally {
            parent.descendants().forEach(ProcessHandle::destroyForcibly);
            parent.destroyForcibly().waitFor();
        }
        Map<String, String> outcome = new LinkedHashMap<>();
        for (String line : Files.readAllLines(printed, StandardCharsets.UTF_8)) {
            int colon = line.indexOf(": ");
            if (colon > 0) {
                outcome.put(line.substring(0, colon), line.substring(colon + 2));
            }
        }
        System.out.println("MachineFaultParent " + mode + " under '" + mount + "': " + outcome);
        assertThat(parent.exitValue()).as("outcome %s", outcome).isZero();
        return outcome;
    }

    private static boolean canUnshare() {
        try {
            Process probe = new ProcessBuilder("unshare", "-rm", "true").redirectErrorStream(true).start();
            return probe.waitFor(10, TimeUnit.SECONDS) && probe.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
