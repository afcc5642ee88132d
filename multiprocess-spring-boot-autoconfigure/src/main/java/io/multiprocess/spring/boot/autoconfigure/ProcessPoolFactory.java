package io.multiprocess.spring.boot.autoconfigure;

import io.multiprocess.BaseContext;
import io.multiprocess.ProcessPool;
import io.multiprocess.pool.ExitPolicy;
import io.multiprocess.pool.PoolOptions;
import io.multiprocess.reduction.Reducer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;

/**
 * Creates the pools the properties describe: the primary pool and, as the factory of their bean definitions, the
 * named ones (with their own contexts where they need one). Each pool is created with its workers deferred, for
 * {@link ProcessPoolLifecycle} to start, and left to its owner at JVM exit, for the lifecycle to stop gracefully.
 */
final class ProcessPoolFactory implements DisposableBean {

    static final String BEAN_NAME = "multiprocessPoolFactory";

    /** Spring Boot's default {@code spring.lifecycle.timeout-per-shutdown-phase}. */
    static final Duration BOOT_PHASE_TIMEOUT = Duration.ofSeconds(30);

    /** Beyond the web server's graceful phase: Spring's other phases and the pools' own stop getting under way. */
    static final Duration OWNER_SLACK = Duration.ofSeconds(15);

    private final MultiprocessProperties properties;
    private final ObjectProvider<BaseContext> contexts;
    private final Reducer reducer;
    private final List<ProcessPoolCustomizer> poolCustomizers;
    private final List<MultiprocessContextCustomizer> contextCustomizers;
    private final Map<String, Duration> gracePeriods = new ConcurrentHashMap<>();
    private final List<BaseContext> ownContexts = new CopyOnWriteArrayList<>();
    private final Duration ownerMargin;

    /**
     * @param phaseTimeout {@code spring.lifecycle.timeout-per-shutdown-phase}: how long the web server may drain its
     *     requests before the pools' turn comes; the library's exit hook waits that long plus a slack plus the grace
     *     period before it ends a pool itself
     */
    ProcessPoolFactory(MultiprocessProperties properties, ObjectProvider<BaseContext> contexts, Reducer reducer,
            List<ProcessPoolCustomizer> poolCustomizers, List<MultiprocessContextCustomizer> contextCustomizers,
            Duration phaseTimeout) {
        this.ownerMargin = phaseTimeout.plus(OWNER_SLACK);
        this.properties = properties;
        this.contexts = contexts;
        this.reducer = reducer;
        this.poolCustomizers = poolCustomizers;
        this.contextCustomizers = contextCustomizers;
    }

    /** The primary pool, from {@code multiprocess.pool}, on the application's context. */
    ProcessPool primary(String beanName, BaseContext context) {
        return create(beanName, "multiprocess.pool", properties.getPool(), context);
    }

    /** The pool named {@code name}, from {@code multiprocess.pools.<name>}; the factory method of its bean. */
    ProcessPool named(String name) {
        MultiprocessProperties.NamedPool pool = properties.getPools().get(name);
        BaseContext context;
        if (pool.overridesContext()) {
            Reducer own = pool.getReducer() == null ? reducer
                    : ContextFactory.reducer("multiprocess.pools." + name + ".reducer", pool.getReducer());
            context = ContextFactory.context(ContextFactory.ContextSettings.of(properties, name, pool), own);
            contextCustomizers.forEach(customizer -> customizer.customize(context));
            ownContexts.add(context);
        } else {
            context = applicationContext(name);
        }
        return create(name, "multiprocess.pools." + name, pool, context);
    }

    /** How long the pool named {@code beanName} has to finish its work at shutdown, if this factory made it. */
    Optional<Duration> gracePeriod(String beanName) {
        return Optional.ofNullable(gracePeriods.get(beanName));
    }

    private BaseContext applicationContext(String name) {
        BaseContext context = contexts.getIfUnique();
        if (context == null) {
            throw new MultiprocessPropertyException("multiprocess.pools." + name, "(a named pool)",
                    "the pool starts its workers from the application's BaseContext bean, and there is not exactly "
                            + "one (nor one marked @Primary)",
                    "Mark one BaseContext bean @Primary, or give the pool a context of its own by setting its "
                            + "start-method, executable, reducer or startup-archive.", null);
        }
        return context;
    }

    private ProcessPool create(String beanName, String prefix, MultiprocessProperties.Pool pool,
            BaseContext context) {
        ProcessPoolSettings settings = new ProcessPoolSettings(beanName,
                ContextFactory.poolOptions(prefix, pool).name(beanName));
        poolCustomizers.forEach(customizer -> customizer.customize(settings));
        Duration grace = pool.getShutdownGracePeriod();
        // The lifecycle starts the workers after the context refreshed, and shuts the pool down gracefully after the
        // web server finished its requests; the library's own exit hook must leave it alone meanwhile.
        PoolOptions options = settings.getOptions().deferStart(true)
                .exitPolicy(ExitPolicy.leaveToOwner(grace.plus(ownerMargin)));
        ProcessPool created = context.pool(options);
        settings.listeners().forEach(created::addListener);
        gracePeriods.put(beanName, grace);
        return created;
    }

    /** After the pools (which depend on this factory) were destroyed: the named pools' own contexts. */
    @Override
    public void destroy() {
        ownContexts.forEach(BaseContext::close);
    }
}
