package io.multiprocess.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.transport.SenderContext;
import io.multiprocess.BaseContext;
import io.multiprocess.ProcessPool;
import io.multiprocess.pool.TaskFailedException;
import io.multiprocess.pool.TaskOutcome;
import io.multiprocess.spring.boot.autoconfigure.metrics.MultiprocessMetricsAutoConfiguration;
import io.multiprocess.spring.boot.autoconfigure.observation.MultiprocessObservationAutoConfiguration;
import io.multiprocess.spring.boot.autoconfigure.observation.TaskObservationContext;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.MDC;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * Pool tasks as Micrometer observations in real worker JVMs: a child of the caller's observation, tagged with pool,
 * kind, outcome and worker, its headers carried into the worker, timed by Boot's own observation wiring.
 */
@ExtendWith(NoWorkerOutlivesItsTest.class)
class TaskObservationAutoConfigurationTest {

    private static final String TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(MultiprocessAutoConfiguration.class,
                    MultiprocessObservationAutoConfiguration.class))
            .withPropertyValues("multiprocess.pool.processes=1");

    /** Stands in for a tracing handler: writes a W3C traceparent into the carrier of every sender it sees start. */
    private static final class Propagating implements ObservationHandler<SenderContext<Object>> {
        final List<Observation.Context> stopped = new CopyOnWriteArrayList<>();

        @Override
        public void onStart(SenderContext<Object> context) {
            context.getSetter().set(context.getCarrier(), "traceparent", TRACEPARENT);
        }

        @Override
        public void onStop(SenderContext<Object> context) {
            stopped.add(context);
        }

        @Override
        public boolean supportsContext(Observation.Context context) {
            return context instanceof SenderContext<?>;
        }
    }

    @Test
    void eachTaskIsAChildObservationOfTheCallersAndItsTraceReachesTheWorker() {
        Propagating handler = new Propagating();
        ObservationRegistry registry = ObservationRegistry.create();
        registry.observationConfig().observationHandler(handler).observationHandler(context -> true);
        runner.withBean(ObservationRegistry.class, () -> registry).run(context -> {
            ProcessPool pool = context.getBean(ProcessPool.class);
            Observation request = Observation.start("http.server.requests", registry);
            String seenInWorker;
            try (Observation.Scope scope = request.openScope()) {
                seenInWorker = pool.apply(() -> MDC.get("traceId") + "/" + MDC.get("spanId"));
                assertThatThrownBy(() -> pool.apply(() -> {
                    throw new IllegalStateException("bad input");
                })).isInstanceOf(TaskFailedException.class);
            } finally {
                request.stop();
            }
            assertThat(seenInWorker).isEqualTo("0af7651916cd43dd8448eb211c80319c/b7ad6b7169203331");

            List<TaskObservationContext> tasks = handler.stopped.stream()
                    .filter(TaskObservationContext.class::isInstance).map(TaskObservationContext.class::cast)
                    .toList();
            assertThat(tasks).hasSize(2);
            long workerPid = pool.snapshot().workers().get(0).pid();
            TaskObservationContext ok = tasks.get(0);
            assertThat(ok.getName()).isEqualTo("multiprocess.task");
            assertThat(ok.getParentObservation()).isSameAs(request);
            assertThat(ok.getPool()).isEqualTo("multiprocessPool");
            assertThat(ok.getCallKind()).isEqualTo("apply");
            assertThat(ok.getOutcome()).isEqualTo(TaskOutcome.SUCCESS);
            assertThat(ok.getWorkerPid()).isEqualTo(workerPid);
            assertThat(ok.getQueued()).isNotNull();
            assertThat(ok.getRunning()).isPositive();
            assertThat(ok.getLowCardinalityKeyValues().stream().map(kv -> kv.getKey() + "=" + kv.getValue()))
                    .containsExactlyInAnyOrder("pool=multiprocessPool", "kind=apply", "outcome=success");
            assertThat(ok.getHighCardinalityKeyValue("worker.pid").getValue()).isEqualTo(Long.toString(workerPid));

            TaskObservationContext failed = tasks.get(1);
            assertThat(failed.getOutcome()).isEqualTo(TaskOutcome.FAILURE);
            assertThat(failed.getError()).isInstanceOf(TaskFailedException.class).hasMessageContaining("bad input");
        });
    }

    @Test
    void withBootsObservationWiringEachTaskIsTimedByPoolKindAndOutcome() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(MultiprocessAutoConfiguration.class,
                        MultiprocessObservationAutoConfiguration.class, ObservationAutoConfiguration.class,
                        MetricsAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class,
                        SimpleMetricsExportAutoConfiguration.class, MultiprocessMetricsAutoConfiguration.class))
                .withPropertyValues("multiprocess.pool.processes=1").run(context -> {
                    ProcessPool pool = context.getBean(ProcessPool.class);
                    assertThat(pool.map(x -> x * 2, List.of(1, 2, 3, 4), 2)).containsExactly(2, 4, 6, 8);

                    MeterRegistry meters = context.getBean(MeterRegistry.class);
                    Timer timer = meters.get("multiprocess.task").tags("pool", "multiprocessPool", "kind", "map",
                            "outcome", "success").timer();
                    assertThat(timer.count()).isEqualTo(2);
                    assertThat(meters.get("multiprocess.pool.worker.time").tags("pool", "multiprocessPool",
                            "phase", "starting").functionCounter().count()).isPositive();
                    // Read from /proc at most once a second: the first reading may be from the worker's launch.
                    io.micrometer.core.instrument.Gauge rss = meters.get("multiprocess.pool.worker.memory.rss")
                            .tags("pool", "multiprocessPool", "slot", "0").gauge();
                    long deadline = System.nanoTime() + java.time.Duration.ofSeconds(5).toNanos();
                    while (!(rss.value() > 1 << 20) && System.nanoTime() < deadline) {
                        Thread.sleep(50);
                    }
                    assertThat(rss.value()).isGreaterThan(1 << 20);
                });
    }

    @Test
    void withoutAnObservationRegistryTasksAreNotTraced() {
        runner.run(context -> assertThat(context.getBean(BaseContext.class).getTaskTracer()).isNull());
        runner.withBean(ObservationRegistry.class, ObservationRegistry::create)
                .run(context -> assertThat(context.getBean(BaseContext.class).getTaskTracer()).isNotNull());
    }
}
