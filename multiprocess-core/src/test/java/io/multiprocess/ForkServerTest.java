package io.multiprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.multiprocess.pool.PoolSnapshot;
import io.multiprocess.testing.FreshContexts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Warm spares: handed over at once, replenished, with preload classes initialized before they take work. */
class ForkServerTest {

    @TempDir
    Path dir;

    @RegisterExtension
    final FreshContexts contexts = new FreshContexts();

    private final ForkServerContext ctx = contexts.forkServer();

    /** Child JVMs of the contexts earlier tests used, spares still booting included: not this test's. */
    private final Set<Long> othersSpares = io.multiprocess.internal.launch.LiveChildren.all().stream()
            .map(io.multiprocess.internal.launch.ChildJvm::pid).collect(Collectors.toSet());

    @Test
    void startHandsOverARunningSpareAndLaunchesAReplacement() throws Exception {
        MpProcess first = ctx.process(() -> { });
        first.start();
        first.join();
        Set<Long> spares = awaitSpares(1);

        MpProcess second = ctx.process(() -> { });
        second.start();

        assertThat(spares).contains(second.pid());
        second.join();
        assertThat(second.exitCode()).isZero();
        assertThat(awaitSpares(1)).doesNotContain(second.pid());
    }

    @Test
    void sparesLoadTheClassesRecentProcessesRanWithoutInitializingThem() throws Exception {
        MpProcess first = new LoadAheadProcess(ctx, "first", dir.resolve("first").toString());
        first.start();
        first.join();
        long spare = awaitSpareLoading(LoadAheadProcess.class.getName());

        MpProcess second = new LoadAheadProcess(ctx, "second", dir.resolve("second").toString());
        second.start();
        second.join();

        assertThat(second.pid()).isEqualTo(spare);
        assertThat(second.exitCode()).isZero();
        // Initialized by the process itself, not while the spare waited (nor by its rehearsal).
        assertThat(Files.readString(dir.resolve("second"))).isEqualTo("second");
    }

    /** The pid of the first idle spare whose command line loads {@code className} ahead (Linux: /proc). */
    private long awaitSpareLoading(String className) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            for (long pid : idleSpares()) {
                // Read directly: ProcessHandle.Info stops at the first empty argument.
                String command = Files.readString(Path.of("/proc", Long.toString(pid), "cmdline"));
                if (command.contains(className)) {
                    return pid;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no spare loads " + className + " ahead");
    }

    @Test
    void preloadedClassesAreInitializedBeforeTheProcessRuns() throws Exception {
        Path out = dir.resolve("preload");
        ctx.setForkserverPreload(List.of(PreloadProbe.class.getName()));
        MpProcess warmUp = ctx.process(() -> { });
        warmUp.start();
        warmUp.join();
        awaitSpares(1);

        String file = out.toString();
        MpProcess p = ctx.process(() -> Files.writeString(Path.of(file),
                String.valueOf(System.getProperty(PreloadProbe.PROPERTY))));
        p.start();
        p.join();

        assertThat(Files.readString(out)).isEqualTo("initialized");
    }

    @Test
    void theProcessASpareTakesIsTheOneSentNotTheSparesRehearsal() throws Exception {
        ctx.setJvmArguments(List.of("-Dio.multiprocess.test.marker=on"));
        MpProcess first = ctx.process(() -> { });
        first.start();
        first.join();
        awaitSpares(1);

        String file = dir.resolve("seen").toString();
        MpProcess p = ctx.process(() -> {
            MpProcess self = Multiprocess.currentProcess();
            Files.writeString(Path.of(file), String.join("|", self.getName(), String.valueOf(self.isDaemon()),
                    java.util.HexFormat.of().formatHex(self.getAuthkey()), Multiprocess.parentProcess().orElseThrow().getName(),
                    String.valueOf(Multiprocess.getContext().getJvmArguments()),
                    Multiprocess.getContext().getStartMethod()));
        });
        p.setName("Handed-over");
        p.start();
        p.join();

        assertThat(p.exitCode()).isZero();
        assertThat(Files.readString(Path.of(file))).isEqualTo(String.join("|", "Handed-over", "false",
                java.util.HexFormat.of().formatHex(Multiprocess.currentProcess().getAuthkey()),
                Multiprocess.currentProcess().getName(), "[-Dio.multiprocess.test.marker=on]", "forkserver"));
    }

    @Test
    void moreSparesCanBeKeptForBursts() throws Exception {
        ctx.setSpares(2);
        MpProcess first = ctx.process(() -> { });
        first.start();
        first.join();

        Set<Long> ours = Set.of();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (ours.size() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(20);
            ours = idleSpares();
        }
        assertThat(ours).hasSize(2);
    }

    @Test
    void aBurstOfStartsFromSeveralThreadsGetsOneJvmEach() throws Exception {
        List<MpProcess> processes = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        List<Thread> starters = new java.util.ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Thread starter = new Thread(() -> {
                for (int i = 0; i < 3; i++) {
                    MpProcess p = ctx.process(() -> Thread.sleep(200));
                    p.start();
                    processes.add(p);
                }
            });
            starters.add(starter);
            starter.start();
        }
        for (Thread starter : starters) {
            starter.join();
        }
        for (MpProcess p : processes) {
            assertThat(p.join(Duration.ofSeconds(60))).isTrue();
        }

        assertThat(processes).hasSize(12).allSatisfy(p -> assertThat(p.exitCode()).isZero());
        assertThat(processes.stream().map(MpProcess::pid).distinct()).hasSize(12);
    }

    /** The idle spares of {@link #ctx} are the live children that are idle; waits until there are {@code n}. */
    @Test
    void prewarmBootsTheSparesAheadAndANewPoolTakesThemAtOnce() throws Exception {
        ctx.prewarm(3).get(60, TimeUnit.SECONDS);
        Set<Long> spares = idleSpares();
        assertThat(spares).as("ready spares once prewarm(3) completed").hasSize(3);

        try (ProcessPool pool = ctx.pool(2)) {
            assertThat(pool.apply(() -> 1)).isEqualTo(1);
            Set<Long> workers = pool.snapshot().workers().stream().map(PoolSnapshot.Worker::pid)
                    .collect(Collectors.toSet());
            assertThat(spares).as("the pool's workers were the warm spares").containsAll(workers);
            Thread.sleep(1000);
            assertThat(idleSpares()).as("the one spare the context keeps; the two beyond it, taken, not replaced")
                    .hasSize(ctx.getSpares()).isSubsetOf(spares);
        }
    }

    @Test
    void prewarmFailsWhenSparesDieAtStartUpAndSpawnHasNothingToPrewarm() throws Exception {
        ctx.setJvmArguments(List.of("-XX:+NoSuchFlagForPrewarm"));
        assertThatThrownBy(() -> ctx.prewarm(2).get(60, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(IllegalStateException.class).hasMessageContaining("NoSuchFlagForPrewarm");
        assertThat(contexts.create("spawn").prewarm(2)).isCompleted();
        assertThatThrownBy(() -> ctx.prewarm(0)).isInstanceOf(IllegalArgumentException.class);
    }

    private Set<Long> awaitSpares(int n) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        Set<Long> spares = idleSpares();
        while (spares.size() < n && System.nanoTime() < deadline) {
            Thread.sleep(20);
            spares = idleSpares();
        }
        return spares;
    }

    /** This test's context's spares that are ready: those of other contexts (the default one's) were there before. */
    private Set<Long> idleSpares() {
        return readySpares().stream().filter(pid -> !othersSpares.contains(pid)).collect(Collectors.toSet());
    }

    private static Set<Long> readySpares() {
        return io.multiprocess.internal.launch.LiveChildren.all().stream()
                .filter(io.multiprocess.internal.launch.ChildJvm::isIdleSpare)
                .filter(io.multiprocess.internal.launch.ChildJvm::isReady)
                .map(io.multiprocess.internal.launch.ChildJvm::pid).collect(Collectors.toSet());
    }
}
