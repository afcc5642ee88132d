package io.multiprocess.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.multiprocess.Diagnostics;
import io.multiprocess.ProcessPool;
import io.multiprocess.pool.PoolState;
import io.multiprocess.queues.MpQueue;
import io.multiprocess.spring.boot.autoconfigure.endpoint.MultiprocessEndpoint;
import io.multiprocess.spring.boot.autoconfigure.endpoint.MultiprocessEndpointAutoConfiguration;
import io.multiprocess.spring.boot.autoconfigure.health.MultiprocessHealthContributorAutoConfiguration;
import io.multiprocess.spring.boot.autoconfigure.health.MultiprocessHealthIndicator;
import io.multiprocess.spring.boot.autoconfigure.metrics.MultiprocessMetrics;
import io.multiprocess.spring.boot.autoconfigure.metrics.MultiprocessMetricsAutoConfiguration;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** Health, metrics and the endpoint: present with their libraries, absent without, real workers behind them. */
class ObservabilityAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(MultiprocessAutoConfiguration.class,
                    MultiprocessHealthContributorAutoConfiguration.class, MultiprocessMetricsAutoConfiguration.class,
                    MultiprocessEndpointAutoConfiguration.class))
            .withPropertyValues("multiprocess.pool.processes=1", "multiprocess.queues.orders.maxsize=10");

    @AfterEach
    void noWorkerOutlivesItsApplicationContext() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!Diagnostics.liveChildJvms().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(Diagnostics.liveChildJvms()).isEmpty();
    }

    @Test
    void healthIsUpWithDetailsWhileThePoolRunsAndDownOnceItIsTerminated() {
        runner.run(context -> {
            HealthIndicator indicator = context.getBean("multiprocessHealthIndicator", HealthIndicator.class);
            ProcessPool pool = context.getBean(ProcessPool.class);
            pool.apply(() -> null);

            Health health = indicator.health(true);
            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails()).containsEntry("startMethod", "forkserver").containsEntry("pool", "running")
                    .containsEntry("processes", 1).containsEntry("queuedTasks", 0).containsKey("workers");
            @SuppressWarnings("unchecked")
            Map<String, Integer> workers = (Map<String, Integer>) health.getDetails().get("workers");
            assertThat(workers).containsEntry("idle", 1);

            pool.terminate();
            assertThat(indicator.health(true).getStatus()).isEqualTo(Status.DOWN);
        });
    }

    @Test
    void healthCanBeSwitchedOffAndIsAbsentWithoutSpringBootHealth() {
        runner.withPropertyValues("management.health.multiprocess.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(MultiprocessHealthIndicator.class));
        runner.withClassLoader(new FilteredClassLoader(HealthIndicator.class)).run(context -> assertThat(context)
                .hasNotFailed().doesNotHaveBean(MultiprocessHealthIndicator.class).hasSingleBean(ProcessPool.class));
    }

    @Test
    void metersCountWhatReallyHappened() {
        runner.run(context -> {
            MeterRegistry registry = new SimpleMeterRegistry();
            context.getBean(MultiprocessMetrics.class).bindTo(registry);
            ProcessPool pool = context.getBean(ProcessPool.class);

            pool.apply(() -> "ok");
            pool.apply(() -> "ok");
            assertThatThrownBy(() -> pool.apply(() -> {
                throw new IllegalStateException("boom");
            })).hasMessageContaining("boom");
            assertThatThrownBy(() -> pool.apply(() -> {
                System.exit(9);
                return null;
            })).isInstanceOf(io.multiprocess.pool.WorkerCrashedException.class);
            pool.apply(() -> "after the crash, on a replacement worker");
            MpQueue<String> orders = context.getBean(MultiprocessQueues.class).queue("orders");
            orders.put("a");
            orders.put("b");

            assertThat(registry.get("multiprocess.pool.tasks").tag("outcome", "success").counter().count())
                    .isEqualTo(3);
            assertThat(registry.get("multiprocess.pool.tasks").tag("outcome", "failure").counter().count())
                    .isEqualTo(1);
            assertThat(registry.get("multiprocess.pool.tasks").tag("outcome", "crash").counter().count())
                    .isEqualTo(1);
            assertThat(registry.get("multiprocess.pool.task.duration").tag("outcome", "success").timer().count())
                    .isEqualTo(3);
            assertThat(registry.get("multiprocess.pool.worker.exits").tag("cause", "crashed").counter().count())
                    .isEqualTo(1);
            // The replacement worker started after the meters were bound.
            assertThat(registry.get("multiprocess.process.starts").tag("start.method", "forkserver").counter()
                    .count()).isGreaterThanOrEqualTo(1);
            assertThat(registry.get("multiprocess.process.start.duration").timer().count()).isGreaterThanOrEqualTo(1);
            assertThat(registry.get("multiprocess.pool.workers").tag("state", "idle").gauge().value()).isEqualTo(1);
            assertThat(registry.get("multiprocess.pool.queued").gauge().value()).isZero();
            assertThat(registry.get("multiprocess.queue.size").tag("name", "orders").gauge().value()).isEqualTo(2);
        });
    }

    @Test
    void peersDroppedBeforeAuthenticationAreCountedInTheMetersHealthAndEndpoint() {
        runner.withPropertyValues("management.endpoints.web.exposure.include=multiprocess").run(context -> {
            MeterRegistry registry = new SimpleMeterRegistry();
            context.getBean(MultiprocessMetrics.class).bindTo(registry);
            context.getBean(ProcessPool.class).apply(() -> null);
            double before = refused(registry, "protocol.error") + refused(registry, "oversized");

            // What a port scanner or a stray HTTP client sends: not the challenge's answer.
            try (SocketChannel peer = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                peer.connect(UnixDomainSocketAddress.of(Diagnostics.controlSocket().orElseThrow()));
                peer.write(ByteBuffer.wrap("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(
                        java.nio.charset.StandardCharsets.US_ASCII)));
                ByteBuffer answer = ByteBuffer.allocate(512);
                try {
                    while (peer.read(answer.clear()) >= 0) {
                        // The challenge, then the end of the stream once the acceptor has dropped this peer.
                    }
                } catch (java.net.SocketException reset) {
                    // Also the end: the acceptor closed while bytes of this peer it never read were still in its
                    // buffer, which resets the connection instead of ending it.
                }
            }

            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (refused(registry, "protocol.error") + refused(registry, "oversized") == before
                    && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(refused(registry, "protocol.error") + refused(registry, "oversized")).isEqualTo(before + 1);
            @SuppressWarnings("unchecked")
            Map<String, Map<String, Long>> health = (Map<String, Map<String, Long>>) context
                    .getBean("multiprocessHealthIndicator", HealthIndicator.class).health(true).getDetails()
                    .get("refusedConnections");
            assertThat(health.get("control").get("total")).isGreaterThanOrEqualTo(1);
            assertThat(context.getBean(MultiprocessEndpoint.class).report().connections().get("control").refused())
                    .isGreaterThanOrEqualTo(1);
        });
    }

    private static double refused(MeterRegistry registry, String reason) {
        return registry.get("multiprocess.connections.refused").tag("socket", "control").tag("reason", reason)
                .functionCounter().count();
    }

    @Test
    void metricsAreAbsentWithoutMicrometer() {
        runner.withClassLoader(new FilteredClassLoader(MeterBinder.class)).run(context -> assertThat(context)
                .hasNotFailed().doesNotHaveBean(MultiprocessMetrics.class).hasSingleBean(ProcessPool.class));
    }

    @Test
    void theEndpointListsTheWorkersAndQueuesWhenExposed() {
        runner.withPropertyValues("management.endpoints.web.exposure.include=multiprocess").run(context -> {
                    context.getBean(ProcessPool.class).apply(() -> null);
                    MultiprocessEndpoint.Report report = context.getBean(MultiprocessEndpoint.class).report();

                    assertThat(report.startMethod()).isEqualTo("forkserver");
                    assertThat(report.pool().state()).isEqualTo(PoolState.RUNNING);
                    assertThat(report.pool().workers()).singleElement().satisfies(worker -> {
                        assertThat(worker.pid()).isPositive().isNotEqualTo(ProcessHandle.current().pid());
                        assertThat(worker.tasksDone()).isEqualTo(1);
                    });
                    assertThat(report.queues()).containsEntry("orders", 0);
                });
        runner.withClassLoader(new FilteredClassLoader(Endpoint.class)).run(context -> assertThat(context)
                .hasNotFailed().doesNotHaveBean(MultiprocessEndpoint.class));
    }
}
