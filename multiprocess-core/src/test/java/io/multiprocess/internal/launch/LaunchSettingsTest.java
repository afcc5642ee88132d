package io.multiprocess.internal.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The defaults a child's JVM arguments get, and what replaces them. */
class LaunchSettingsTest {

    private static LaunchSettings settings(String executable, String... arguments) {
        return new LaunchSettings("spawn", "kryo", executable, List.of(arguments), List.of(), true);
    }

    @Test
    void aChildOfThisJdkGetsTheSerialCollectorAndArchivesInPlaceBeforeItsOwnArguments() {
        assumeTrue(Runtime.version().feature() <= 25, "the in-place mapping was measured up to JDK 25");

        assertThat(settings("", "-Xmx64m").childJvmArguments()).containsExactly("-XX:+UseSerialGC",
                "-XX:+UnlockDiagnosticVMOptions", "-XX:ArchiveRelocationMode=0", "-Xmx64m");
    }

    @ParameterizedTest
    @ValueSource(strings = {"-XX:ArchiveRelocationMode=1", "-Xshare:off", "-XX:-UnlockDiagnosticVMOptions"})
    void argumentsThatSayHowToMapArchivesReplaceTheInPlaceDefault(String argument) {
        assertThat(settings("", argument).childJvmArguments()).containsExactly("-XX:+UseSerialGC", argument);
    }

    @Test
    void aChildOfAnotherExecutableGetsNoDiagnosticFlag() {
        // Nothing is known of another java without starting it, and a JVM refuses a flag it does not know.
        assertThat(settings("/opt/some-other-jdk/bin/java").childJvmArguments()).containsExactly("-XX:+UseSerialGC");
    }

    @Test
    void aCollectorInTheArgumentsReplacesTheSerialOne() {
        assertThat(settings("/opt/some-other-jdk/bin/java", "-XX:+UseZGC").childJvmArguments())
                .containsExactly("-XX:+UseZGC");
    }
}
