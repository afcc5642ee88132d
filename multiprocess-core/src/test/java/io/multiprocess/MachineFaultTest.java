package io.multiprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.multiprocess.context.SpawnContext;
import io.multiprocess.internal.ConnectTimeout;
import io.multiprocess.pool.PoolOptions;
import io.multiprocess.pool.TaskFailedException;
import io.multiprocess.process.GarbageChild;
import io.multiprocess.testing.FreshContexts;
import io.multiprocess.testing.MachineFaultParent;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

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

    private String connectTimeoutBefore;

    @BeforeEach
    void shortConnectDeadline() {
        connectTimeoutBefore = System.getProperty(ConnectTimeout.PROPERTY);
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
    void aPoolWhoseWorkersNeverConnectBreaksNamingTheDeadline() throws Exception {
        BaseContext context = contextWithExecutable(script("never-connects", "exec sleep 300"));
        try (ProcessPool pool = context.pool(PoolOptions.defaults().processes(1))) {
            assertThatThrownBy(() -> pool.applyAsync(() -> 1).get(60, TimeUnit.SECONDS))
                    .hasStackTraceContaining("did not connect back to its parent within 1500 ms")
                    .hasStackTraceContaining(ConnectTimeout.PROPERTY);
            assertThat(pool.snapshot().state()).isEqualTo("BROKEN");
        }
    }

    @Test
    void aChildThatWritesGarbageOnItsSocketIsKilledNotTrusted() throws Exception {
        BaseContext context = contextWithExecutable(garbageChildExecutable());
        try (ProcessPool pool = context.pool(PoolOptions.defaults().processes(1))) {
            assertThatThrownBy(() -> pool.applyAsync(() -> 1).get(60, TimeUnit.SECONDS))
                    .hasStackTraceContaining("not a message of the protocol");
            assertThat(pool.snapshot().state()).isEqualTo("BROKEN");
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
                    .hasStackTraceContaining("not a message of the protocol")
                    .hasStackTraceContaining("worker pid " + firstPid);

            assertThat(pool.apply(() -> 6 * 7)).isEqualTo(42);
            assertThat(pool.apply(() -> ProcessHandle.current().pid())).isNotEqualTo(firstPid);
            assertThat(ProcessHandle.of(firstPid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
            assertThat(pool.snapshot().state()).isEqualTo("RUNNING");
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

    @Test
    void aReadOnlyRuntimeDirectoryIsAClearError() throws Exception {
        Path tmp = Files.createDirectory(dir.resolve("ro"));
        Map<String, String> outcome = runUnshared("mount -t tmpfs -o ro tmpfs " + tmp,
                List.of("-Djava.io.tmpdir=" + tmp), "runtime-dir");

        assertThat(outcome.get("process")).startsWith("error").contains("cannot create a private directory for "
                + "sockets under " + tmp).contains("Read-only file system").contains("set java.io.tmpdir");
        assertThat(outcome.get("pool")).startsWith("error").contains("set java.io.tmpdir");
        assertThat(outcome.get("end")).isEqualTo("0");
    }

    @Test
    void aFullRuntimeDirectoryIsAClearError() throws Exception {
        Path tmp = Files.createDirectory(dir.resolve("full"));
        // nr_inodes=1: the tmpfs's root takes the only inode, so not a directory or socket more can be made.
        Map<String, String> outcome = runUnshared("mount -t tmpfs -o nr_inodes=1 tmpfs " + tmp,
                List.of("-Djava.io.tmpdir=" + tmp), "runtime-dir");

        assertThat(outcome.get("process")).startsWith("error").contains("cannot create a private directory for "
                + "sockets under " + tmp).contains("No space left on device");
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
        Process parent = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        Map<String, String> outcome = new LinkedHashMap<>();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(parent.getInputStream(),
                StandardCharsets.UTF_8))) {
            assertThat(parent.waitFor(120, TimeUnit.SECONDS)).as("the parent on a faulty machine ends").isTrue();
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                int colon = line.indexOf(": ");
                if (colon > 0) {
                    outcome.put(line.substring(0, colon), line.substring(colon + 2));
                }
            }
        } finally {
            parent.descendants().forEach(ProcessHandle::destroyForcibly);
            parent.destroyForcibly().waitFor();
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
