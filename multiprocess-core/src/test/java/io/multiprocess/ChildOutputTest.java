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

    /** Counts its toString calls in the JVM it is in: a log argument that was formatted. */
    static final class Expensive {
        static final java.util.concurrent.atomic.AtomicInteger FORMATTED = new java.util.concurrent.atomic.AtomicInteger();

        @Override
        public String toString() {
            FORMATTED.incrementAndGet();
            return "expensive";
        }
    }

    @Test
    void aWorkersSlf4jEventsArriveAsEventsFilteredByThisJvmsLevels() {
        try (ProcessPool pool = ctx.pool(PoolOptions.defaults().processes(1).name("relay"))) {
            int formattedInWorker = pool.apply(() -> {
                org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger("com.example.relayed");
                log.debug("not wanted: {}", new Expensive());
                log.info("page {} rendered", 7);
                log.error("rendering failed", new IllegalStateException("boom",
                        new java.io.UncheckedIOException(new java.io.IOException("disk gone"))));
                return Expensive.FORMATTED.get();
            });
            // This JVM logs com.example.relayed from INFO on (simplelogger.properties), so the worker skipped DEBUG.
            assertThat(formattedInWorker).as("a disabled level costs nothing in the worker").isZero();
        }
        String log = captured();
        // Logged here as an event, on the thread that reads the worker's channel; not a line of its stderr, which
        // would be a WARN of io.multiprocess.worker.relay with the worker's own formatting inside.
        assertThat(log).containsPattern("\\[multiprocess-control-\\d+\\] INFO com.example.relayed - page 7 rendered")
                .doesNotContainPattern("io.multiprocess.worker.relay - .*page 7 rendered")
                .contains("ERROR com.example.relayed - rendering failed")
                .contains("java.lang.IllegalStateException: boom")
                .contains("Caused by: java.io.UncheckedIOException: java.io.IOException: disk gone")
                .contains("at io.multiprocess.ChildOutputTest")
                .doesNotContain("not wanted");
    }

    @Test
    void aTaskWaitingForThisJvmsLevelAnswerGetsItThoughItsThreadIsTheChannelsReader() {
        try (ProcessPool pool = ctx.pool(PoolOptions.defaults().processes(1).name("levels"))) {
            pool.apply(() -> null);
            // The first event of a logger asks this JVM for its level and waits for the answer. Between tasks the
            // task thread reads the worker's channel, so during this one nobody does until the watcher takes over
            // (at once when asked, ChildChannel.readSoon, else after 50 ms). Were the answer never read, the worker
            // would give up after a second and log INFO, which this JVM's WARN would not have let through.
            pool.apply(() -> {
                org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger("com.example.quiet");
                log.info("below this JVM's WARN");
                log.warn("quiet warning");
                return null;
            });
        }
        assertThat(captured()).contains("WARN com.example.quiet - quiet warning")
                .doesNotContain("below this JVM's WARN");
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
