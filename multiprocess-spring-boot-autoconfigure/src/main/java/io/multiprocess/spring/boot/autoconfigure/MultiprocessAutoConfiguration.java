package io.multiprocess.spring.boot.autoconfigure;

import io.multiprocess.BaseContext;
import io.multiprocess.ProcessPool;
import io.multiprocess.reduction.Reducer;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of multiprocess: the context child processes start from, the reducer, a {@link ProcessPool}
 * that starts and stops with the application, and named queues. Every bean backs off when the application defines
 * its own.
 */
@AutoConfiguration
@EnableConfigurationProperties(MultiprocessProperties.class)
public class MultiprocessAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    Reducer multiprocessReducer(MultiprocessProperties properties) {
        return ContextFactory.reducer(properties);
    }

    /** The application's own context (not the library's shared one), closed with the application. */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    BaseContext multiprocessContext(MultiprocessProperties properties, Reducer reducer) {
        return ContextFactory.context(properties, reducer);
    }

    @Bean(destroyMethod = "terminate")
    @ConditionalOnMissingBean
    @ConditionalOnBooleanProperty(name = "multiprocess.pool.enabled", matchIfMissing = true)
    ProcessPool multiprocessPool(BaseContext context, MultiprocessProperties properties) {
        return context.pool(ContextFactory.poolOptions(properties.getPool()));
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBooleanProperty(name = "multiprocess.pool.enabled", matchIfMissing = true)
    ProcessPoolLifecycle multiprocessPoolLifecycle(ProcessPool pool, MultiprocessProperties properties) {
        return new ProcessPoolLifecycle(pool, properties.getPool().getShutdownGracePeriod());
    }

    @Bean
    @ConditionalOnMissingBean
    MultiprocessQueues multiprocessQueues(BaseContext context, MultiprocessProperties properties) {
        return new MultiprocessQueues(context, properties.getQueues());
    }
}
