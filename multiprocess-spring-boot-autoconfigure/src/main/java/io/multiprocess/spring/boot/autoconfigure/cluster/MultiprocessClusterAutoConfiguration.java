package io.multiprocess.spring.boot.autoconfigure.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.core.HazelcastInstance;
import io.multiprocess.ProcessPool;
import io.multiprocess.hazelcast.ClusterPool;
import io.multiprocess.spring.boot.autoconfigure.MultiprocessAutoConfiguration;
import io.multiprocess.spring.boot.autoconfigure.MultiprocessProperties;
import io.multiprocess.spring.boot.autoconfigure.MultiprocessPropertyException;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.NoSuchBeanDefinitionException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.hazelcast.autoconfigure.HazelcastConfigCustomizer;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;

/**
 * The cluster pool, with {@code multiprocess-hazelcast} and Hazelcast on the classpath and
 * {@code multiprocess.cluster.enabled=true}: a {@link ClusterPool} bean over the application's
 * {@link HazelcastInstance} (Spring Boot's own, from {@code spring.hazelcast.config}) and the primary pool or
 * {@code multiprocess.cluster.pool}. The Hazelcast configuration is prepared with {@link ClusterPool#configure} both
 * when Boot loads it from a file (a {@link HazelcastConfigCustomizer}) and when the application declares a
 * {@link Config} bean. Its health, meters and endpoint section are
 * {@link MultiprocessClusterActuatorAutoConfiguration}'s.
 *
 * <pre>
 * multiprocess:
 *   cluster:
 *     enabled: true
 *     key: ${CLUSTER_KEY}          # the same secret on every instance
 * spring:
 *   hazelcast:
 *     config: classpath:hazelcast-cluster.yaml
 * </pre>
 */
@AutoConfiguration(after = MultiprocessAutoConfiguration.class,
        afterName = "org.springframework.boot.hazelcast.autoconfigure.HazelcastAutoConfiguration")
@ConditionalOnClass({ClusterPool.class, HazelcastInstance.class})
@ConditionalOnBooleanProperty(name = "multiprocess.cluster.enabled")
public class MultiprocessClusterAutoConfiguration {

    /** Prepares a Hazelcast configuration that Spring Boot loads from a file. */
    @Bean
    @ConditionalOnClass(HazelcastConfigCustomizer.class)
    static HazelcastConfigCustomizer multiprocessClusterHazelcastConfigCustomizer() {
        return ClusterPool::configure;
    }

    /** Prepares a Hazelcast {@link Config} bean of the application, before its instance is created from it. */
    @Bean
    static BeanPostProcessor multiprocessClusterConfigPostProcessor() {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessBeforeInitialization(Object bean, String beanName) {
                return bean instanceof Config config ? ClusterPool.configure(config) : bean;
            }
        };
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnSingleCandidate(HazelcastInstance.class)
    ClusterPool multiprocessClusterPool(HazelcastInstance hazelcast, ListableBeanFactory beans,
            ObjectProvider<ProcessPool> pools, MultiprocessProperties properties) {
        MultiprocessProperties.Cluster cluster = properties.getCluster();
        ProcessPool local = localPool(cluster, beans, pools);
        ClusterPool.Builder builder = ClusterPool.builder(hazelcast, local).name(cluster.getName())
                .localFirst(cluster.isLocalFirst()).noMemberTimeout(cluster.getNoMemberTimeout());
        if (cluster.getRetries() < 0) {
            throw new MultiprocessPropertyException("multiprocess.cluster.retries", cluster.getRetries(),
                    "it cannot be negative", "Set it to 0 (fail a lost member's tasks) or more.", null);
        }
        builder.retries(cluster.getRetries());
        String key = cluster.getKey();
        if (key == null || key.isEmpty()) {
            key = System.getenv(ClusterPool.CLUSTER_KEY_ENVIRONMENT);
        }
        if (key == null || key.isEmpty()) {
            throw new MultiprocessPropertyException("multiprocess.cluster.key", "(unset)", "the cluster pool needs "
                    + "a secret shared by every instance", "Set multiprocess.cluster.key (or the "
                    + ClusterPool.CLUSTER_KEY_ENVIRONMENT + " environment variable) to the same secret of at least "
                    + "16 bytes on every instance, from a secret store rather than the jar.", null);
        }
        try {
            builder.clusterKey(key);
        } catch (IllegalArgumentException e) {
            throw new MultiprocessPropertyException("multiprocess.cluster.key", "(hidden)", e.getMessage(),
                    "Use a random secret of at least 16 bytes, the same on every instance.", e);
        }
        return builder.build();
    }

    @Bean
    @ConditionalOnMissingBean(name = "multiprocessClusterPoolLifecycle")
    @ConditionalOnSingleCandidate(ClusterPool.class)
    SmartLifecycle multiprocessClusterPoolLifecycle(ClusterPool pool, MultiprocessProperties properties) {
        return new ClusterPoolLifecycle(pool, properties.getCluster().getShutdownGracePeriod());
    }

    private static ProcessPool localPool(MultiprocessProperties.Cluster cluster, ListableBeanFactory beans,
            ObjectProvider<ProcessPool> pools) {
        if (cluster.getPool() != null) {
            try {
                return beans.getBean(cluster.getPool(), ProcessPool.class);
            } catch (NoSuchBeanDefinitionException e) {
                throw new MultiprocessPropertyException("multiprocess.cluster.pool", cluster.getPool(),
                        "there is no ProcessPool bean of that name", "Name one of the ProcessPool beans: "
                        + String.join(", ", beans.getBeanNamesForType(ProcessPool.class)) + ".", e);
            }
        }
        ProcessPool pool = pools.getIfUnique();
        if (pool == null) {
            throw new MultiprocessPropertyException("multiprocess.cluster.pool", "(unset)", "there is no single "
                    + "or primary ProcessPool to run this instance's share", "Name the local pool's bean in "
                    + "multiprocess.cluster.pool.", null);
        }
        return pool;
    }
}
