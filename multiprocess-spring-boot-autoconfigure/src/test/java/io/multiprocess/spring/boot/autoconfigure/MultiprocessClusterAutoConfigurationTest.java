package io.multiprocess.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.multiprocess.ProcessPool;
import io.multiprocess.hazelcast.ClusterMember;
import io.multiprocess.hazelcast.ClusterPool;
import io.multiprocess.spring.boot.autoconfigure.cluster.ClusterMetrics;
import io.multiprocess.spring.boot.autoconfigure.cluster.MultiprocessClusterActuatorAutoConfiguration;
import io.multiprocess.spring.boot.autoconfigure.cluster.MultiprocessClusterAutoConfiguration;
import io.multiprocess.spring.boot.autoconfigure.endpoint.MultiprocessEndpoint;
import io.multiprocess.spring.boot.autoconfigure.endpoint.MultiprocessEndpointAutoConfiguration;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.hazelcast.autoconfigure.HazelcastAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Two application contexts, each a real Hazelcast member with its own worker JVM, one configured from a Config bean
 * and one from a file: the cluster pool bean of either serves a map with both, and its health, meters and endpoint
 * section count what really crossed.
 */
@ExtendWith(NoWorkerOutlivesItsTest.class)
class MultiprocessClusterAutoConfigurationTest {

    private static final String KEY = "the autoconfiguration test's cluster key";

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(MultiprocessAutoConfiguration.class,
                    HazelcastAutoConfiguration.class, MultiprocessClusterAutoConfiguration.class,
                    MultiprocessClusterActuatorAutoConfiguration.class, MultiprocessEndpointAutoConfiguration.class))
            .withPropertyValues("multiprocess.start-method=spawn", "multiprocess.pool.processes=1",
                    "multiprocess.cluster.key=" + KEY,
                    "management.endpoints.web.exposure.include=multiprocess");

    @Configuration(proxyBeanMethods = false)
    static class HazelcastConfigBean {

        @Bean
        Config hazelcastConfig() {
            Config config = new Config().setClusterName("multiprocess-autoconfigure-test");
            config.setProperty("hazelcast.phone.home.enabled", "false");
            config.setProperty("hazelcast.logging.type", "slf4j");
            config.setProperty("hazelcast.wait.seconds.before.join", "0");
            config.setProperty("hazelcast.max.wait.seconds.before.join", "0");
            config.getNetworkConfig().setPort(5951).setPortAutoIncrement(true).setPortCount(20);
            config.getNetworkConfig().getInterfaces().setEnabled(true).addInterface("127.0.0.1");
            JoinConfig join = config.getNetworkConfig().getJoin();
            join.getMulticastConfig().setEnabled(false);
            join.getAutoDetectionConfig().setEnabled(false);
            join.getTcpIpConfig().setEnabled(true).addMember("127.0.0.1:5951").addMember("127.0.0.1:5952")
                    .addMember("127.0.0.1:5953");
            return config;
        }
    }

    @Test
    void twoInstancesShareTheClusterPoolAndReportWhatCrossed() {
        runner.withUserConfiguration(HazelcastConfigBean.class).withPropertyValues("multiprocess.cluster.enabled=true")
                .run(first -> runner.withPropertyValues("multiprocess.cluster.enabled=true",
                        "spring.hazelcast.config=classpath:hazelcast-cluster-test.yaml").run(second -> {
                    assertThat(first).hasNotFailed();
                    assertThat(second).hasNotFailed();
                    ClusterPool pool = second.getBean(ClusterPool.class);
                    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                    while (pool.members().stream().filter(ClusterMember::serving).count() < 2) {
                        assertThat(System.nanoTime()).as("two serving members").isLessThan(deadline);
                        Thread.sleep(20);
                    }

                    List<Long> pids = pool.map(x -> {
                        Thread.sleep(20);
                        return ProcessHandle.current().pid();
                    }, IntStream.range(0, 16).boxed().toList(), 1);
                    long firstWorker = first.getBean(ProcessPool.class).snapshot().workers().get(0).pid();
                    long secondWorker = second.getBean(ProcessPool.class).snapshot().workers().get(0).pid();
                    assertThat(new HashSet<>(pids)).containsExactlyInAnyOrder(firstWorker, secondWorker);

                    String firstAddress = first.getBean(ClusterPool.class).members().get(0).address();
                    String secondAddress = pool.members().get(0).address();
                    long sentToFirst = pool.tasksSent().get(firstAddress);
                    assertThat(sentToFirst).isPositive();

                    SimpleMeterRegistry registry = new SimpleMeterRegistry();
                    second.getBean(ClusterMetrics.class).bindTo(registry);
                    assertThat(registry.get("multiprocess.cluster.tasks.sent").tag("member", firstAddress)
                            .functionCounter().count()).isEqualTo(sentToFirst);
                    assertThat(registry.get("multiprocess.cluster.members").tag("state", "serving").gauge().value())
                            .isEqualTo(2.0);
                    SimpleMeterRegistry firstRegistry = new SimpleMeterRegistry();
                    first.getBean(ClusterMetrics.class).bindTo(firstRegistry);
                    assertThat(firstRegistry.get("multiprocess.cluster.tasks.received").tag("member", secondAddress)
                            .functionCounter().count()).isEqualTo(sentToFirst);

                    Health health = second.getBean("multiprocessClusterHealthIndicator", HealthIndicator.class)
                            .health(true);
                    assertThat(health.getStatus()).isEqualTo(Status.UP);
                    assertThat(health.getDetails()).containsEntry("members", 2).containsEntry("membersServing", 2L);

                    MultiprocessEndpoint.ClusterReport report = second.getBean(MultiprocessEndpoint.class).report()
                            .cluster();
                    assertThat(report.name()).isEqualTo("default");
                    assertThat(report.localMember()).isEqualTo(secondAddress);
                    assertThat(report.members()).hasSize(2).filteredOn(member -> !member.local()).singleElement()
                            .matches(member -> member.tasksSent() == sentToFirst && member.serving());
                    Set<String> addresses = new HashSet<>();
                    report.members().forEach(member -> addresses.add(member.address()));
                    assertThat(addresses).containsExactlyInAnyOrder(firstAddress, secondAddress);

                    first.close();
                    deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                    while (pool.members().stream().filter(ClusterMember::serving).count() != 1) {
                        assertThat(System.nanoTime()).as("the stopped instance is gone").isLessThan(deadline);
                        Thread.sleep(20);
                    }
                    assertThat(pool.map(x -> ProcessHandle.current().pid(), List.of(1, 2, 3), 1))
                            .containsOnly(secondWorker);
                }));
    }

    @Test
    void offByDefaultAndAMissingKeyIsAClearStartupFailure() {
        runner.withUserConfiguration(HazelcastConfigBean.class).run(context -> {
            assertThat(context).hasNotFailed().doesNotHaveBean(ClusterPool.class)
                    .doesNotHaveBean(MultiprocessEndpoint.ClusterSection.class);
            assertThat(context.getBean(MultiprocessEndpoint.class).report().cluster()).isNull();
        });
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(MultiprocessAutoConfiguration.class,
                HazelcastAutoConfiguration.class, MultiprocessClusterAutoConfiguration.class))
                .withUserConfiguration(HazelcastConfigBean.class)
                .withPropertyValues("multiprocess.pool.processes=1", "multiprocess.cluster.enabled=true")
                .run(context -> assertThat(context).hasFailed().getFailure()
                        .rootCause().isInstanceOf(MultiprocessPropertyException.class)
                        .hasMessageContaining("multiprocess.cluster.key"));
    }

}
