package io.multiprocess.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.multiprocess.AsyncResult;
import io.multiprocess.Diagnostics;
import io.multiprocess.ProcessPool;
import io.multiprocess.pool.PoolState;
import io.multiprocess.queues.MpQueue;
import io.multiprocess.spring.boot.autoconfigure.endpoint.MultiprocessEndpoint;
import io.multiprocess.spring.boot.autoconfigure.endpoint.MultiprocessEndpointAutoConfiguration;
import io.multiprocess.spring.boot.autoconfigure.health.MultiprocessHealthContributorAutoConfiguration;
import io.multiprocess.spring.boot.autoconfigure.info.MultiprocessInfoContributor;
import io.multiprocess.spring.boot.autoconfigure.info.MultiprocessInfoContributorAutoConfiguration;
import io.multiprocess.spring.boot.autoconfigure.metrics.MultiprocessMetrics;
import io.multiprocess.spring.boot.autoconfigure.metrics.MultiprocessMetricsAutoConfiguration;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.info.Info;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthContributors;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** Health, metrics and the endpoint: present with their libraries, absent without, real workers behind them. */
@ExtendWith(NoWorkerOutlivesItsTest.class)
class ObservabilityAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(MultiprocessAutoConfiguration.class,
                    MultiprocessHealthContributorAutoConfiguration.class, MultiprocessMetricsAutoConfiguration.class,
                    MultiprocessEndpointAutoConfiguration.class))
            .withPropertyValues("multiprocess.pool.processes=1", "multiprocess.queues.orders.maxsize=10");

    @Test
    void healthHasAComponentPerPoolUpWhileItRunsAndDownOnceItIsTerminated() {
        runner.withPropertyValues("multiprocess.pools.isolated.processes=1").run(context -> {
            CompositeHealthContributor multiprocess = context.getBean("multiprocessHealthContributor",
                    CompositeHealthContributor.class);
            CompositeHealthContributor pools = (CompositeHealthContributor) multiprocess.getContributor("pools");
            assertThat(pools.stream().map(HealthContributors.Entry::name)).containsExactly("isolated",
                    "multiprocessPool");
            ProcessPool pool = context.getBean("multiprocessPool", ProcessPool.class);
            pool.apply(() -> null);

            HealthIndicator indicator = (HealthIndicator) pools.getContributor("multiprocessPool");
            Health health = indicator.health(true);
            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails()).containsEntry("startMethod", "forkserver").containsEntry("state", "running")
                    .containsEntry("processes", 1).containsEntry("queuedTasks", 0).containsKey("workers");
            @SuppressWarnings("unchecked")
            Map<String, Integer> workers = (Map<String, Integer>) health.getDetails().get("workers");
            assertThat(workers).containsEntry("idle", 1);

            pool.terminate();
            assertThat(indicator.health(true).getStatus()).isEqualTo(Status.DOWN);
            assertThat(((HealthIndicator) pools.getContributor("isolated")).health(true).getStatus())
                    .isEqualTo(Status.UP);
            assertThat(((HealthIndicator) multiprocess.getContributor("connections")).health(true).getStatus())
                    .isEqualTo(Status.UP);
        });
    }

    @Test
    void healthCanBeSwitchedOffAndIsAbsentWithoutSpringBootHealth() {
        runner.withPropertyValues("management.health.multiprocess.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean("multiprocessHealthContributor"));
        runner.withClassLoader(new FilteredClassLoader(HealthIndicator.class)).run(context -> assertThat(context)
                .hasNotFailed().doesNotHaveBean("multiprocessHealthContributor").hasSingleBean(ProcessPool.class));
    }

    @Test
    void metersCountWhatReallyHappenedTheSameInEveryRegistry() {
        runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new).run(context -> {
            MeterRegistry first = new SimpleMeterRegistry();
            MeterRegistry second = new SimpleMeterRegistry();
            MultiprocessMetrics metrics = context.getBean(MultiprocessMetrics.class);
            metrics.bindTo(first);
            metrics.bindTo(second);
            metrics.bindTo(second);
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

            for (MeterRegistry registry : List.of(first, second)) {
                assertThat(tasks(registry, "success").count()).isEqualTo(3);
                assertThat(tasks(registry, "success").totalTime(TimeUnit.NANOSECONDS)).isPositive();
                assertThat(tasks(registry, "failure").count()).isEqualTo(1);
                assertThat(tasks(registry, "crash").count()).isEqualTo(1);
                assertThat(registry.get("multiprocess.pool.completed").tag("pool", "multiprocessPool")
                        .functionCounter().count()).isEqualTo(5);
                assertThat(registry.get("multiprocess.pool.worker.exits").tag("cause", "crashed")
                        .functionCounter().count()).isEqualTo(1);
                // The first worker started before any registry was bound, the replacement after.
                assertThat(registry.get("multiprocess.pool.worker.starts").functionCounter().count()).isEqualTo(2);
                assertThat(registry.get("multiprocess.process.starts").tag("start.method", "forkserver")
                        .functionCounter().count()).isEqualTo(2);
                assertThat(registry.get("multiprocess.pool.workers").tag("state", "idle").gauge().value())
                        .isEqualTo(1);
                assertThat(registry.get("multiprocess.pool.size").gauge().value()).isEqualTo(1);
                assertThat(registry.get("multiprocess.pool.queued").gauge().getId().getBaseUnit()).isEqualTo("tasks");
                assertThat(registry.get("multiprocess.pool.worker.heap.used").tag("slot", "0").gauge().value())
                        .isPositive();
                assertThat(registry.get("multiprocess.queue.size").tag("name", "orders").gauge().value())
                        .isEqualTo(2);
            }
            // Recorded when a child's target runs: the replacement's for sure, the first worker's if it ran after
            // the binding.
            assertThat(second.get("multiprocess.process.start.duration").timer().count()).isBetween(1L, 2L);
        });
    }

    @Test
    void metersLandInTheRegistryOfBootsOwnMetricsAutoConfiguration() {
        // JVM arguments of the pool's own: its workers start from a copy of the context, sharing its listeners.
        runner.withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class,
                CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class))
                .withPropertyValues("multiprocess.pool.jvm-arguments=-Xmx100m").run(context -> {
                    MeterRegistry registry = context.getBean(MeterRegistry.class);
                    context.getBean(ProcessPool.class).apply(() -> null);
                    assertThat(tasks(registry, "success").count()).isEqualTo(1);
                    assertThat(registry.get("multiprocess.pool.worker.starts").tag("pool", "multiprocessPool")
                            .functionCounter().count()).isEqualTo(1);
                    assertThat(registry.get("multiprocess.process.starts").functionCounter().count())
                            .as("each start counted once").isEqualTo(1);
                });
        runner.run(context -> assertThat(context).as("no MeterRegistry, no meters")
                .doesNotHaveBean(MultiprocessMetrics.class));
    }

    private static FunctionTimer tasks(MeterRegistry registry, String outcome) {
        return registry.get("multiprocess.pool.tasks").tag("pool", "multiprocessPool").tag("outcome", outcome)
                .functionTimer();
    }

    @Test
    void peersDroppedBeforeAuthenticationAreCountedInTheMetersHealthAndEndpoint() {
        runner.withPropertyValues("management.endpoints.web.exposure.include=multiprocess")
                .withBean(MeterRegistry.class, SimpleMeterRegistry::new).run(context -> {
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
            Map<String, Map<String, Long>> health = (Map<String, Map<String, Long>>) ((HealthIndicator) context
                    .getBean("multiprocessHealthContributor", CompositeHealthContributor.class)
                    .getContributor("connections")).health(true).getDetails().get("refused");
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
        runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new).withClassLoader(new FilteredClassLoader(MeterBinder.class)).run(context -> assertThat(context)
                .hasNotFailed().doesNotHaveBean(MultiprocessMetrics.class).hasSingleBean(ProcessPool.class));
    }

    @Test
    void theEndpointListsEveryPoolByNameAndItsWritesResizeAndRecycle() {
        runner.withPropertyValues("management.endpoints.web.exposure.include=multiprocess",
                "multiprocess.pools.isolated.processes=1").run(context -> {
                    context.getBean(ProcessPool.class).apply(() -> null);
                    MultiprocessEndpoint endpoint = context.getBean(MultiprocessEndpoint.class);
                    MultiprocessEndpoint.Report report = endpoint.report();

                    assertThat(report.startMethod()).isEqualTo("forkserver");
                    assertThat(report.pools()).containsOnlyKeys("multiprocessPool", "isolated");
                    MultiprocessEndpoint.PoolReport primary = report.pools().get("multiprocessPool");
                    assertThat(primary.state()).isEqualTo(PoolState.RUNNING);
                    assertThat(primary.workers()).singleElement().satisfies(worker -> {
                        assertThat(worker.pid()).isPositive().isNotEqualTo(ProcessHandle.current().pid());
                        assertThat(worker.tasksDone()).isEqualTo(1);
                        assertThat(worker.slot()).isZero();
                    });
                    assertThat(report.queues()).containsEntry("orders", 0);
                    assertThat(primary.calls()).isEmpty();

                    AsyncResult<List<Integer>> slow = context.getBean(ProcessPool.class).mapAsync(x -> {
                        Thread.sleep(200);
                        return x;
                    }, List.of(1, 2, 3, 4, 5), 1, null, null, null);
                    MultiprocessEndpoint.PoolReport busy = endpoint.pool("multiprocessPool");
                    assertThat(busy.runningCalls()).isEqualTo(1);
                    assertThat(busy.calls()).singleElement().satisfies(call -> {
                        assertThat(call.kind()).isEqualTo("map");
                        assertThat(call.total()).isEqualTo(5);
                        assertThat(call.done()).isBetween(0L, 4L);
                    });
                    slow.get(Duration.ofSeconds(30));

                    assertThat(endpoint.resize(SecurityContext.NONE, "isolated", 2).processes()).isEqualTo(2);
                    assertThat(context.getBean("isolated", ProcessPool.class).snapshot().processes()).isEqualTo(2);
                    assertThatThrownBy(() -> endpoint.resize(SecurityContext.NONE, "isolated", 0))
                            .isInstanceOf(InvalidEndpointRequestException.class).hasMessageContaining("at least 1");
                    assertThatThrownBy(() -> endpoint.resize(SecurityContext.NONE, "missing", 2))
                            .isInstanceOf(InvalidEndpointRequestException.class)
                            .hasMessageContaining("isolated, multiprocessPool");

                    long pid = primary.workers().get(0).pid();
                    assertThat(endpoint.worker(SecurityContext.NONE, "multiprocessPool", pid, "recycle").pid())
                            .isEqualTo(pid);
                    assertThatThrownBy(() -> endpoint.worker(SecurityContext.NONE, "multiprocessPool", pid, "kill"))
                            .isInstanceOf(InvalidEndpointRequestException.class).hasMessageContaining("recycle");
                    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                    while (context.getBean(ProcessPool.class).snapshot().workers().stream()
                            .anyMatch(worker -> worker.pid() == pid) && System.nanoTime() < deadline) {
                        Thread.sleep(20);
                    }
                    assertThat(context.getBean(ProcessPool.class).apply(() -> ProcessHandle.current().pid()))
                            .as("a fresh worker replaced the recycled one").isNotEqualTo(pid);
                    assertThat(endpoint.pool("missing")).isNull();
                });
        runner.withClassLoader(new FilteredClassLoader(Endpoint.class)).run(context -> assertThat(context)
                .hasNotFailed().doesNotHaveBean(MultiprocessEndpoint.class));
    }

    @Test
    void theInfoContributorReportsVersionStartMethodsAndWorkerJvms() {
        runner.withConfiguration(AutoConfigurations.of(MultiprocessInfoContributorAutoConfiguration.class))
                .run(context -> {
                    Info.Builder builder = new Info.Builder();
                    context.getBean(MultiprocessInfoContributor.class).contribute(builder);
                    @SuppressWarnings("unchecked")
                    Map<String, Object> details = (Map<String, Object>) builder.build().get("multiprocess");
                    assertThat(details).containsKeys("version", "workerJvm").containsEntry("startMethod",
                            "forkserver").containsEntry("reducer", "kryo");
                    assertThat(details.get("pools").toString()).contains("multiprocessPool");
                });
    }
}
