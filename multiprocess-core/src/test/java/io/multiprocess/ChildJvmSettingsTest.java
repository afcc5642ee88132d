package io.multiprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.management.HotSpotDiagnosticMXBean;
import io.multiprocess.pool.PoolOptions;
import io.multiprocess.testing.FreshContexts;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The context's executable and JVM arguments reach the child JVM. */
class ChildJvmSettingsTest {

    private static final Path OTHER_JDK = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64/bin/java");

    @TempDir
    Path dir;

    @RegisterExtension
    final FreshContexts contexts = new FreshContexts();

    private BaseContext context(String method) {
        return contexts.create(method);
    }

    @ParameterizedTest
    @ValueSource(strings = {"forkserver", "spawn"})
    void jvmArgumentsApplyToTheChild(String method) throws Exception {
        BaseContext context = context(method);
        context.setJvmArguments(List.of("-Dmultiprocess.test.flag=on", "-Xmx96m"));
        String out = dir.resolve("args").toString();
        MpProcess p = context.process(() -> Files.writeString(Path.of(out), System.getProperty(
                "multiprocess.test.flag") + " " + (Runtime.getRuntime().maxMemory() <= 96L * 1024 * 1024) + " "
                + collectors()));
        p.start();
        p.join();

        // The arguments chose no collector, so the child has the lean default, the serial one.
        assertThat(Files.readString(Path.of(out))).isEqualTo("on true [Copy, MarkSweepCompact]");
    }

    @Test
    void aCollectorInTheArgumentsReplacesTheDefaultOne() throws Exception {
        BaseContext context = context("spawn");
        try (ProcessPool pool = context.pool(PoolOptions.defaults().processes(1)
                .jvmArguments(List.of("-XX:+UseParallelGC")))) {
            assertThat(pool.apply(ChildJvmSettingsTest::collectors))
                    .isEqualTo("[PS MarkSweep, PS Scavenge]");
        }
    }

    @Test
    void childrenMapTheClassDataArchivesInPlaceUnlessTheArgumentsSayOtherwise() throws Exception {
        assumeTrue(Runtime.version().feature() <= 25, "the in-place mapping was measured up to JDK 25");
        BaseContext context = context("spawn");
        try (ProcessPool lean = context.pool(PoolOptions.defaults().processes(1));
                ProcessPool relocating = context.pool(PoolOptions.defaults().processes(1).jvmArguments(
                        List.of("-XX:+UnlockDiagnosticVMOptions", "-XX:ArchiveRelocationMode=1")))) {
            assertThat(lean.apply(ChildJvmSettingsTest::archiveRelocationMode)).isEqualTo("0");
            assertThat(relocating.apply(ChildJvmSettingsTest::archiveRelocationMode)).isEqualTo("1");
        }
    }

    private static String archiveRelocationMode() {
        return ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
                .getVMOption("ArchiveRelocationMode").getValue();
    }

    private static String collectors() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream().map(GarbageCollectorMXBean::getName)
                .sorted().toList().toString();
    }

    @ParameterizedTest
    @ValueSource(strings = {"forkserver", "spawn"})
    void theChildRunsWithTheConfiguredExecutable(String method) throws Exception {
        assumeTrue(Files.isExecutable(OTHER_JDK), "a second JDK is installed at " + OTHER_JDK);
        BaseContext context = context(method);
        context.setExecutable(OTHER_JDK);
        String out = dir.resolve("java").toString();
        MpProcess p = context.process(() -> Files.writeString(Path.of(out), System.getProperty("java.home")));
        p.start();
        p.join();

        assertThat(p.exitCode()).isZero();
        assertThat(Path.of(Files.readString(Path.of(out))).toRealPath())
                .isEqualTo(OTHER_JDK.getParent().getParent().toRealPath());
    }
}
