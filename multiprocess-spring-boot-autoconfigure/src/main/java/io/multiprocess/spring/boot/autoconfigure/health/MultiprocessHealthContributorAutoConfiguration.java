package io.multiprocess.spring.boot.autoconfigure.health;

import io.multiprocess.BaseContext;
import io.multiprocess.ProcessPool;
import io.multiprocess.spring.boot.autoconfigure.MultiprocessAutoConfiguration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * The {@code multiprocess} health indicator, when Spring Boot's health support is on the classpath; switched off
 * with {@code management.health.multiprocess.enabled=false}.
 */
@AutoConfiguration(after = MultiprocessAutoConfiguration.class)
@ConditionalOnClass({HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class})
@ConditionalOnBean(BaseContext.class)
@ConditionalOnEnabledHealthIndicator("multiprocess")
public class MultiprocessHealthContributorAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "multiprocessHealthIndicator")
    MultiprocessHealthIndicator multiprocessHealthIndicator(BaseContext context, ObjectProvider<ProcessPool> pool) {
        return new MultiprocessHealthIndicator(context, pool.getIfUnique());
    }
}
