package io.multiprocess.spring.boot.autoconfigure;

import io.multiprocess.BaseContext;
import io.multiprocess.ProcessPool;
import io.multiprocess.reduction.Reducer;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.core.NativeDetector;
import org.springframework.core.env.Environment;

/**
 * Auto-configuration of multiprocess: the context child processes start from, the reducer, the primary
 * {@link ProcessPool} ({@code multiprocess.pool}), named pools ({@code multiprocess.pools.<name>}) and named queues
 * ({@code multiprocess.queues.<name>}), and a lifecycle that starts the pools' workers once the application is
 * ready and stops them gracefully after the web server. Switched off with {@code multiprocess.enabled=false}.
 *
 * <p>Back-offs: the reducer, the context and the primary pool back off when the application defines a bean of their
 * type (the primary pool also when there is no single {@link BaseContext}); the lifecycle when it defines a bean
 * named {@code multiprocessPoolLifecycle}. Named pools and queues are always created, are injected by qualifier
 * only, and fail at startup when their name is taken.
 */
@AutoConfiguration
@ConditionalOnBooleanProperty(name = "multiprocess.enabled", matchIfMissing = true)
@EnableConfigurationProperties(MultiprocessProperties.class)
@Import(NamedBeansRegistrar.class)
public class MultiprocessAutoConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(MultiprocessAutoConfiguration.class);

    @Bean
    @ConditionalOnMissingBean
    Reducer multiprocessReducer(MultiprocessProperties properties) {
        return ContextFactory.reducer("multiprocess.reducer", properties.getReducer());
    }

    /** The application's own context (not the library's shared one), closed with the application. */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    BaseContext multiprocessContext(MultiprocessProperties properties, Reducer reducer,
            ObjectProvider<MultiprocessContextCustomizer> customizers) {
        if (NativeDetector.inNativeImage()) {
            throw new IllegalStateException("multiprocess runs work in child JVMs started from this application's "
                    + "classpath, and a native image has neither a JVM nor a classpath to start them from. Run the "
                    + "application on a JVM, or set multiprocess.enabled=false for the native build.");
        }
        BaseContext context = ContextFactory.context(ContextFactory.ContextSettings.of(properties), reducer);
        customizers.orderedStream().forEach(customizer -> customizer.customize(context));
        return context;
    }

    @Bean(ProcessPoolFactory.BEAN_NAME)
    ProcessPoolFactory multiprocessPoolFactory(MultiprocessProperties properties, ObjectProvider<BaseContext> contexts,
            Reducer reducer, ObjectProvider<ProcessPoolCustomizer> poolCustomizers,
            ObjectProvider<MultiprocessContextCustomizer> contextCustomizers, Environment environment) {
        Duration phaseTimeout = Binder.get(environment).bind("spring.lifecycle.timeout-per-shutdown-phase",
                Duration.class).orElse(ProcessPoolFactory.BOOT_PHASE_TIMEOUT);
        return new ProcessPoolFactory(properties, contexts, reducer, poolCustomizers.orderedStream().toList(),
                contextCustomizers.orderedStream().toList(), phaseTimeout);
    }

    /**
     * The primary pool; its workers start with the application ({@link ProcessPoolLifecycle}). Evaluated before
     * {@link NamedBeansRegistrar} adds the named pools, so only the application's own pools make it back off.
     */
    @Bean(destroyMethod = "terminate")
    @Primary
    @ConditionalOnMissingBean(ProcessPool.class)
    @ConditionalOnSingleCandidate(BaseContext.class)
    @ConditionalOnBooleanProperty(name = "multiprocess.pool.enabled", matchIfMissing = true)
    ProcessPool multiprocessPool(ProcessPoolFactory factory, BaseContext context) {
        return factory.primary("multiprocessPool", context);
    }

    @Bean(ProcessPoolLifecycle.BEAN_NAME)
    @ConditionalOnMissingBean(name = ProcessPoolLifecycle.BEAN_NAME)
    ProcessPoolLifecycle multiprocessPoolLifecycle(ListableBeanFactory beans, ProcessPoolFactory factory,
            MultiprocessProperties properties, ObjectProvider<BaseContext> contexts) {
        int prewarm = properties.getPrewarm();
        if (prewarm < 0) {
            throw new MultiprocessPropertyException("multiprocess.prewarm", prewarm, "it cannot be negative",
                    "Set it to the number of warm JVMs to boot at start, or 0 for none.", null);
        }
        return new ProcessPoolLifecycle(beans, factory::gracePeriod, () -> {
            BaseContext context = contexts.getIfUnique();
            if (prewarm > 0 && context != null) {
                // Not waited for: the application is ready without them, and a start before they are launches a
                // JVM of its own, as without.
                context.prewarm(prewarm).whenComplete((ready, error) -> {
                    if (error != null) {
                        LOG.warn("multiprocess.prewarm: the {} warm JVMs could not be booted: {}", prewarm,
                                error.getMessage());
                    }
                });
            }
        });
    }

    /** The owner of the named queues, and the factory of their beans: always there, as they may be. */
    @Bean(MultiprocessQueues.BEAN_NAME)
    MultiprocessQueues multiprocessQueues(ObjectProvider<BaseContext> contexts, MultiprocessProperties properties) {
        BaseContext context = contexts.getIfUnique();
        if (context == null && !properties.getQueues().isEmpty()) {
            String first = properties.getQueues().keySet().iterator().next();
            throw new MultiprocessPropertyException("multiprocess.queues." + first, "(a named queue)",
                    "queues are created with the application's BaseContext bean, and there is not exactly one (nor "
                            + "one marked @Primary)", "Mark one BaseContext bean @Primary.", null);
        }
        return new MultiprocessQueues(context, properties.getQueues());
    }
}
