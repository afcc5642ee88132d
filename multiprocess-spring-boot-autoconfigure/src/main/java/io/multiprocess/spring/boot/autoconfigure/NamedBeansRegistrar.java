package io.multiprocess.spring.boot.autoconfigure;

import io.multiprocess.ProcessPool;
import io.multiprocess.queues.JoinableQueue;
import io.multiprocess.queues.MpQueue;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotationMetadata;

/**
 * Registers a bean per {@code multiprocess.pools.<name>} (a {@link ProcessPool} made by {@link ProcessPoolFactory})
 * and per {@code multiprocess.queues.<name>} (an {@link MpQueue}, a fresh handle for each injection point, from
 * {@link MultiprocessQueues}), each named after its key so {@code @Qualifier("<name>")} selects it. Bean
 * definitions must exist before beans are created, so the keys are bound here, ahead of the properties bean.
 */
class NamedBeansRegistrar implements ImportBeanDefinitionRegistrar, EnvironmentAware {

    private Environment environment;

    @Override
    public void setEnvironment(Environment environment) {
        this.environment = environment;
    }

    @Override
    public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
        Binder binder = Binder.get(environment);
        Map<String, MultiprocessProperties.NamedPool> pools = binder.bind("multiprocess.pools",
                Bindable.mapOf(String.class, MultiprocessProperties.NamedPool.class)).orElse(Map.of());
        Map<String, MultiprocessProperties.Queue> queues = binder.bind("multiprocess.queues",
                Bindable.mapOf(String.class, MultiprocessProperties.Queue.class)).orElse(Map.of());
        Set<String> ours = new HashSet<>();
        pools.forEach((name, pool) -> {
            if (!pool.isEnabled()) {
                return;
            }
            checkFree(registry, ours, "multiprocess.pools." + name, name);
            RootBeanDefinition definition = new RootBeanDefinition();
            definition.setTargetType(ProcessPool.class);
            definition.setFactoryBeanName(ProcessPoolFactory.BEAN_NAME);
            definition.setFactoryMethodName("named");
            definition.getConstructorArgumentValues().addGenericArgumentValue(name);
            // Its lifecycle has stopped it gracefully by then; this only makes sure no worker outlives the bean.
            definition.setDestroyMethodName("terminate");
            definition.setDescription("ProcessPool configured under multiprocess.pools." + name);
            // Injected by qualifier only: an unqualified ProcessPool stays the primary one, or the application's.
            definition.setDefaultCandidate(false);
            registry.registerBeanDefinition(name, definition);
        });
        queues.forEach((name, queue) -> {
            checkFree(registry, ours, "multiprocess.queues." + name, name);
            RootBeanDefinition definition = new RootBeanDefinition();
            definition.setTargetType(queue.isJoinable() ? JoinableQueue.class : MpQueue.class);
            definition.setFactoryBeanName(MultiprocessQueues.BEAN_NAME);
            definition.setFactoryMethodName("newHandle");
            definition.getConstructorArgumentValues().addGenericArgumentValue(name);
            // A handle per injection point: closing one leaves the queue open for every other.
            definition.setScope(BeanDefinition.SCOPE_PROTOTYPE);
            definition.setDescription("MpQueue configured under multiprocess.queues." + name);
            definition.setDefaultCandidate(false);
            registry.registerBeanDefinition(name, definition);
        });
    }

    private static void checkFree(BeanDefinitionRegistry registry, Set<String> ours, String property, String name) {
        if (!ours.add(name)) {
            throw new MultiprocessPropertyException(property, name, "a pool and a queue are both named '" + name
                    + "', and each is a bean named after its key",
                    "Rename the pool or queue: pools and queues share one namespace with every other bean.", null);
        }
        if (registry.isBeanNameInUse(name)) {
            throw new MultiprocessPropertyException(property, name, "its bean would be named '" + name
                    + "', and the application already has a bean (or an alias) of that name",
                    "Rename the pool or queue: each is a bean named after its key, and pools and queues share one "
                            + "namespace with every other bean.", null);
        }
    }
}
