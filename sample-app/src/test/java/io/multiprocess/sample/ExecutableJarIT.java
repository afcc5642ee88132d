package io.multiprocess.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The sample as users ship it: the repackaged Spring Boot jar started with {@code java -jar}. Its child JVMs must
 * find the application's classes and lambdas inside {@code BOOT-INF}, and none may outlive it.
 */
class ExecutableJarIT {

    @Test
    void aChildOfAnExecutableJarRunsTheApplicationsLambdaAndNoChildOutlivesIt() throws Exception {
        Path jar = Path.of(System.getProperty("sample.jar"));
        assertThat(jar).isRegularFile();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path output = Files.createTempFile("sample-app", ".log");
        Process app = new ProcessBuilder(java, "-jar", jar.toString())
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        try {
            assertThat(app.waitFor(120, TimeUnit.SECONDS)).as("the sample finished").isTrue();
            String log = Files.readString(output, StandardCharsets.UTF_8);

            assertThat(app.exitValue()).as(log).isZero();
            assertThat(log).contains("parent " + app.pid() + "] fib(35) = 9227465")
                    .contains("child fibonacci (forkserver) exited with code 0")
                    .doesNotContain("ClassNotFoundException");
            assertThat(childrenOf(app.pid())).isEmpty();
        } finally {
            app.destroyForcibly();
            Files.deleteIfExists(output);
        }
    }

    /** Child JVMs of the app still running, given a moment to follow their parent out. */
    private static List<ProcessHandle> childrenOf(long pid) throws InterruptedException, IOException {
        List<ProcessHandle> left = List.of();
        for (int i = 0; i < 50; i++) {
            left = ProcessHandle.allProcesses()
                    .filter(p -> p.info().arguments().map(args -> String.join(" ", args)).orElse("")
                            .contains("io.multiprocess.ChildMain"))
                    .filter(p -> p.parent().map(ProcessHandle::pid).orElse(-1L) == pid
                            || p.info().arguments().map(args -> String.join(" ", args)).orElse("")
                                    .contains(System.getProperty("sample.jar")))
                    .toList();
            if (left.isEmpty()) {
                return left;
            }
            Thread.sleep(100);
        }
        return left;
    }
}
