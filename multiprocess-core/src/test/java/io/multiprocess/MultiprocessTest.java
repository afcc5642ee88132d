package io.multiprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

/** The module-level functions: contexts, start methods, settings and their errors. */
class MultiprocessTest {

    @BeforeEach
    @AfterEach
    void unsetStartMethod() {
        Multiprocess.setStartMethod(null, true);
        Multiprocess.logToStderr(null);
    }

    @Test
    void forkserverIsTheDefaultOnLinuxAndIsListedFirst() {
        assertThat(Multiprocess.getAllStartMethods()).containsExactly("forkserver", "spawn");
        assertThat(Multiprocess.getStartMethod(true)).isNull();
        assertThat(Multiprocess.getContext()).isInstanceOf(ForkServerContext.class);
        assertThat(Multiprocess.getStartMethod()).isEqualTo("forkserver");
    }

    @Test
    void forkIsRefusedWithTheReasonAndTheAlternatives() {
        assertThat(Multiprocess.getAllStartMethods()).doesNotContain("fork");
        assertThatThrownBy(() -> Multiprocess.getContext("fork")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot exist on a JVM")
                .hasMessageContaining("forkserver")
                .hasMessageContaining("spawn");
        assertThatThrownBy(() -> Multiprocess.setStartMethod("fork")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Multiprocess.newContext("fork")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot exist on a JVM");
    }

    @Test
    void newContextGivesAContextOfItsOwnWhoseSettingsAffectNobodyElse() {
        try (BaseContext own = Multiprocess.newContext("spawn")) {
            own.setJvmArguments(java.util.List.of("-Xmx64m"));

            assertThat(own).isNotSameAs(Multiprocess.getContext("spawn"));
            assertThat(own.getStartMethod()).isEqualTo("spawn");
            assertThat(Multiprocess.getContext("spawn").getJvmArguments()).doesNotContain("-Xmx64m");
        }
        try (BaseContext byDefault = Multiprocess.newContext(null)) {
            assertThat(byDefault.getStartMethod()).isEqualTo(Multiprocess.getContext().getStartMethod());
        }
    }

    @Test
    void anUnknownStartMethodIsRefused() {
        assertThatThrownBy(() -> Multiprocess.getContext("threads")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'threads'").hasMessageContaining("forkserver");
    }

    @Test
    void theStartMethodCanBeSetOnceUnlessForced() {
        Multiprocess.setStartMethod("spawn");

        assertThat(Multiprocess.getStartMethod()).isEqualTo("spawn");
        assertThat(Multiprocess.getContext()).isInstanceOf(SpawnContext.class);
        assertThatThrownBy(() -> Multiprocess.setStartMethod("forkserver"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("already been set");
        Multiprocess.setStartMethod("forkserver", true);
        assertThat(Multiprocess.getStartMethod()).isEqualTo("forkserver");
    }

    @Test
    void askingForTheStartMethodFixesTheDefault() {
        Multiprocess.getStartMethod();

        assertThatThrownBy(() -> Multiprocess.setStartMethod("spawn")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void contextsAreSharedPerMethod() {
        assertThat(Multiprocess.getContext("spawn")).isSameAs(Multiprocess.getContext("SPAWN"));
        assertThat(Multiprocess.getContext("spawn").getStartMethod()).isEqualTo("spawn");
        assertThat(Multiprocess.getContext(null)).isSameAs(Multiprocess.getContext());
    }

    @Test
    void forkserverPreloadRejectsBadArgumentsClearly() {
        assertThatThrownBy(() -> Multiprocess.setForkserverPreload(null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("list of class names");
        assertThatThrownBy(() -> Multiprocess.setForkserverPreload(Arrays.asList("java.util.List", null)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("null");
        assertThatThrownBy(() -> Multiprocess.setForkserverPreload(List.of("not a class!")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a class name");
        assertThatThrownBy(() -> Multiprocess.setForkserverPreload(List.of("com.example.Missing")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not on the classpath");
    }

    @Test
    void aMissingExecutableIsRefused() {
        assertThatThrownBy(() -> Multiprocess.setExecutable(Path.of("/nonexistent/bin/java")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("/nonexistent/bin/java");
    }

    @Test
    void reducersAreSelectedByNameOnAContext() {
        SpawnContext ctx = new SpawnContext();

        assertThat(ctx.getReducer().name()).isEqualTo("kryo");
        ctx.setReducer("java");
        assertThat(ctx.getReducer().name()).isEqualTo("java");
        assertThatThrownBy(() -> ctx.setReducer("pickle")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("kryo");
    }

    @Test
    void cpuCountIsWhatTheJvmMayUse() {
        assertThat(Multiprocess.cpuCount()).isEqualTo(Runtime.getRuntime().availableProcessors()).isPositive();
    }

    @Test
    void freezeSupportAndConnectionPicklingAreHarmless() {
        Multiprocess.freezeSupport();
        Multiprocess.allowConnectionPickling();

        assertThat(Multiprocess.isConnectionPicklingAllowed()).isTrue();
    }

    @Test
    void theLoggerIsTheLibrarysAndCanAlsoPrintToStderr() throws Exception {
        String stderr = io.multiprocess.testing.ChildOutput.captureStderr(() -> {
            Multiprocess.logToStderr(Level.INFO).info("hello {}", "logs");
            Multiprocess.getLogger().debug("not shown");
            return null;
        });

        assertThat(Multiprocess.getLogger().getName()).isEqualTo("io.multiprocess");
        assertThat(stderr).contains("[INFO/MainProcess] hello logs").doesNotContain("not shown");
    }
}
