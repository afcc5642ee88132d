package io.multiprocess.spring.boot.autoconfigure.metrics;

import io.micrometer.core.instrument.binder.MeterBinder;
import io.multiprocess.BaseContext;
import io.multiprocess.ProcessPool;
import io.multiprocess.spring.boot.autoconfigure.MultiprocessAutoConfiguration;
import io.multiprocess.spring.boot.autoconfigure.MultiprocessQueues;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Micrometer meters for multiprocess, when Micrometer is on the classpath: a {@link MeterBinder} bean, which Spring
 * Boot binds to the application's meter registry.
 */
@AutoConfiguration(after = MultiprocessAutoConfiguration.class)
@ConditionalOnClass(MeterBinder.class)
@ConditionalOnBean(BaseContext.class)
public class MultiprocessMetricsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    MultiprocessMetrics multiprocessMetrics(BaseContext context, ObjectProvider<ProcessPool> pool,
            ObjectProvider<MultiprocessQueues> queues) {
        return new MultiprocessMetrics(context, pool.getIfUnique(), queues.getIfUnique());
    }
}
