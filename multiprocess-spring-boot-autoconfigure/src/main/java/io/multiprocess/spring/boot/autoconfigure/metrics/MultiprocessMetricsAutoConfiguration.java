package io.multiprocess.spring.boot.autoconfigure.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.multiprocess.BaseContext;
import io.multiprocess.ProcessPool;
import io.multiprocess.spring.boot.autoconfigure.MultiprocessAutoConfiguration;
import io.multiprocess.spring.boot.autoconfigure.MultiprocessQueues;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Micrometer meters for multiprocess, when the application has a {@link MeterRegistry}: a {@link MeterBinder} bean,
 * which Spring Boot binds to each registry. After Boot's metrics auto-configuration, so its registry is known.
 */
@AutoConfiguration(after = MultiprocessAutoConfiguration.class, afterName = {
        "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration"})
@ConditionalOnClass(MeterBinder.class)
@ConditionalOnBooleanProperty(name = "multiprocess.enabled", matchIfMissing = true)
@ConditionalOnBean({BaseContext.class, MeterRegistry.class})
public class MultiprocessMetricsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    MultiprocessMetrics multiprocessMetrics(ListableBeanFactory beans, ObjectProvider<BaseContext> contexts,
            ObjectProvider<MultiprocessQueues> queues) {
        return new MultiprocessMetrics(beans.getBeansOfType(ProcessPool.class), contexts.orderedStream().toList(),
                queues.getIfUnique());
    }
}
