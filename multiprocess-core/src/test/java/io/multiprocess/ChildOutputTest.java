package io.multiprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.multiprocess.pool.PoolOptions;
import io.multiprocess.pool.WorkerCrashedException;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Child JVMs' stdout and stderr relayed into this JVM's SLF4J logging (here slf4j-simple, which writes each event
 * as a line to System.err: "[thread] LEVEL logger - message").
 */
class ChildOutputTest {

    private final BaseContext ctx = Multiprocess.newContext("forkserver");
    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
    private PrintStream originalErr;

    @BeforeEach
    void captureStderr() {
        originalErr = System.err;
        PrintStream tee = new PrintStream(new OutputStream() {
            @Override
            public void write(int b) {
                synchronized (captured) {
                    captured.write(b);
                }
                originalErr.write(b);
            }

            @Override
            public void write(byte[] bytes, int offset, int length) {
                synchronized (captured) {
                    captured.write(bytes, offset, length);
                }
                originalErr.write(bytes, offset, length);
            }
        }, true, StandardCharsets.UTF_8);
        System.setErr(tee);
        ctx.setChildOutput(ChildOutput.LOG);
    }

    @AfterEach
    void restore() {
        System.setErr(originalErr);
        ctx.close();
    }

    @Test
    void aWorkersLinesBecomeEventsOfItsPoolsLoggerStdoutAtInfoStderrAtWarn() {
        try (ProcessPool pool = ctx.pool(PoolOptions.defaults().processes(1).name("render"))) {
            pool.apply(() -> {
                System.out.println("rendered page 7");
                System.err.println("font missing, using a fallback");
                return null;
            });
        }
        assertThat(captured()).contains("INFO io.multiprocess.worker.render - rendered page 7")
                .contains("WARN io.multiprocess.worker.render - font missing, using a fallback");
    }

    @Test
    void aDyingWorkersLastLinesAreLoggedBeforeItsCrashIsReported() {
        try (ProcessPool pool = ctx.pool(PoolOptions.defaults().processes(1))) {
            assertThatThrownBy(() -> pool.apply(() -> {
                System.err.println("about to halt, last words");
                System.err.flush();
                Runtime.getRuntime().halt(3);
                return null;
            })).isInstanceOf(WorkerCrashedException.class).hasMessageContaining("about to halt, last words");
            // Read when the exception arrived: the line was logged before the crash was reported.
            assertThat(captured()).contains("WARN io.multiprocess.worker.pool - about to halt, last words");
        }
    }

    @Test
    void aPlainProcessLogsUnderTheProcessLoggerAndInheritStaysTheDefault() {
        assertThat(Multiprocess.newContext("spawn").getChildOutput()).isEqualTo(ChildOutput.INHERIT);
        MpProcess process = ctx.process("reporter", () -> System.out.println("report written"));
        process.start();
        process.join();
        assertThat(process.exitCode()).isZero();
        assertThat(captured()).contains("INFO io.multiprocess.process - report written");
    }

    private String captured() {
        synchronized (captured) {
            return captured.toString(StandardCharsets.UTF_8);
        }
    }
}
