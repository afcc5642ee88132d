package io.multiprocess;

import static org.assertj.core.api.Assertions.assertThat;

import io.multiprocess.testing.FreshContexts;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A context tells its listeners when its processes, pool workers included, start and exit. */
class ProcessListenerTest {

    @RegisterExtension
    final FreshContexts contexts = new FreshContexts();

    private final LinkedBlockingQueue<String> events = new LinkedBlockingQueue<>();

    private final ProcessListener recorder = new ProcessListener() {
        @Override
        public void processStarted(MpProcess process, String startMethod, Duration startDuration) {
            events.add("started " + process.getName() + " " + startMethod + " " + !startDuration.isNegative());
        }

        @Override
        public void processExited(MpProcess process, String startMethod, int exitCode) {
            events.add("exited " + process.getName() + " " + exitCode);
        }
    };

    @Test
    void aProcessStartAndExitAreReportedWithTheStartMethodAndExitCode() throws Exception {
        BaseContext ctx = contexts.create("spawn");
        ctx.addProcessListener(recorder);
        MpProcess process = ctx.process("listened", () -> System.exit(3));
        process.start();
        process.join();

        assertThat(next()).isEqualTo("started listened spawn true");
        assertThat(next()).isEqualTo("exited listened 3");
    }

    @Test
    void poolWorkersAreReportedTooEvenWithJvmArgumentsOfTheirOwn() throws Exception {
        BaseContext ctx = contexts.forkServer();
        ctx.addProcessListener(recorder);
        try (ProcessPool pool = ctx.pool(io.multiprocess.pool.PoolOptions.defaults().processes(1)
                .jvmArguments(List.of("-Xmx128m")))) {
            pool.apply(() -> null);
            assertThat(next()).startsWith("started ").endsWith(" forkserver true");
        }
        assertThat(next()).startsWith("exited ");
        ctx.removeProcessListener(recorder);
    }

    private String next() throws InterruptedException {
        String event = events.poll(30, TimeUnit.SECONDS);
        assertThat(event).as("an event within 30 s").isNotNull();
        return event;
    }
}
