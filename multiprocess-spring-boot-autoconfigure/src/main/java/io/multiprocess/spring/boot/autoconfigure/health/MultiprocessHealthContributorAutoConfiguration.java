package io.multiprocess.spring.boot.autoconfigure.health;

import io.multiprocess.BaseContext;
import io.multiprocess.ProcessPool;
import io.multiprocess.spring.boot.autoconfigure.MultiprocessAutoConfiguration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * The {@code multiprocess} health, when Spring Boot's health support is on the classpath: a composite with a
 * component per {@link ProcessPool} bean under {@code pools} (keyed by bean name, so
 * {@code /actuator/health/multiprocess/pools/isolated} is one pool) and the refused connections under
 * {@code connections}. Switched off with {@code management.health.multiprocess.enabled=false}; replaced by a bean
 * named {@code multiprocessHealthContributor}.
 */
@AutoConfiguration(after = MultiprocessAutoConfiguration.class)
@ConditionalOnClass({HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class})
@ConditionalOnBooleanProperty(name = "multiprocess.enabled", matchIfMissing = true)
@ConditionalOnBean(BaseContext.class)
@ConditionalOnEnabledHealthIndicator("multiprocess")
public class MultiprocessHealthContributorAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "multiprocessHealthContributor")
    HealthContributor multiprocessHealthContributor(ListableBeanFactory beans) {
        Map<String, HealthContributor> pools = new TreeMap<>();
        beans.getBeansOfType(ProcessPool.class).forEach((name, pool) ->
                pools.put(name, new MultiprocessHealthIndicator(pool)));
        Map<String, HealthContributor> components = new LinkedHashMap<>();
        if (!pools.isEmpty()) {
            components.put("pools", CompositeHealthContributor.fromMap(pools));
        }
        components.put("connections", new ConnectionsHealthIndicator());
        return CompositeHealthContributor.fromMap(components);
    }
}
