package io.multiprocess.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** A wrong multiprocess.* value stops the application with Spring Boot's failure report, naming what to set. */
@ExtendWith(OutputCaptureExtension.class)
class StartupFailureTest {

    @Test
    void anImpossibleStartMethodIsReportedWithTheActionToTake(CapturedOutput output) {
        // Command-line arguments, as a user would pass them: they win over application.yml.
        assertThatThrownBy(() -> new SpringApplicationBuilder(SampleApplication.class)
                .run("--multiprocess.start-method=fork", "--server.port=0"))
                .hasStackTraceContaining("multiprocess.start-method");

        // Spring Boot's own report for an enum property: the property, the value, and every valid value.
        assertThat(output.getAll()).contains("APPLICATION FAILED TO START")
                .contains("Failed to bind properties under 'multiprocess.start-method'")
                .contains("Value: \"fork\"").contains("FORKSERVER").contains("SPAWN");
    }
}
