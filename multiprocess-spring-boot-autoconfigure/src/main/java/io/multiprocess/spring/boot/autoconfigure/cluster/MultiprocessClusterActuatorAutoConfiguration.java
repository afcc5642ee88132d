package io.multiprocess.spring.boot.autoconfigure.cluster;

import com.hazelcast.core.HazelcastInstance;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.multiprocess.hazelcast.ClusterPool;
import io.multiprocess.spring.boot.autoconfigure.endpoint.MultiprocessEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What ops see of the cluster pool, when there is one: health {@code multiprocessCluster}
 * ({@link ClusterHealthIndicator}), meters {@code multiprocess.cluster.*} ({@link ClusterMetrics}) and the
 * {@code cluster} section of the {@code multiprocess} endpoint. After {@link MultiprocessClusterAutoConfiguration},
 * so that its pool is known.
 */
@AutoConfiguration(after = MultiprocessClusterAutoConfiguration.class)
@ConditionalOnClass({ClusterPool.class, HazelcastInstance.class})
@ConditionalOnSingleCandidate(ClusterPool.class)
public class MultiprocessClusterActuatorAutoConfiguration {

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass({HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class})
    @ConditionalOnEnabledHealthIndicator("multiprocesscluster")
    static class ClusterHealthConfiguration {

        @Bean
        @ConditionalOnMissingBean(name = "multiprocessClusterHealthIndicator")
        HealthIndicator multiprocessClusterHealthIndicator(ClusterPool pool) {
            return new ClusterHealthIndicator(pool);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(MeterBinder.class)
    static class ClusterMetricsConfiguration {

        @Bean
        @ConditionalOnMissingBean
        ClusterMetrics multiprocessClusterMetrics(ClusterPool pool, HazelcastInstance hazelcast) {
            return new ClusterMetrics(pool, hazelcast);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.actuate.endpoint.annotation.Endpoint")
    static class ClusterEndpointConfiguration {

        @Bean
        @ConditionalOnMissingBean
        MultiprocessEndpoint.ClusterSection multiprocessClusterSection(ClusterPool pool) {
            return () -> ClusterReports.of(pool);
        }
    }
}
