package io.multiprocess.spring.boot.autoconfigure.observation;

import io.micrometer.observation.ObservationRegistry;
import io.multiprocess.spring.boot.autoconfigure.MultiprocessAutoConfiguration;
import io.multiprocess.spring.boot.autoconfigure.MultiprocessContextCustomizer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;

/**
 * Pool tasks as {@code multiprocess.task} observations, their trace carried into the worker JVMs, when the
 * application has an {@link ObservationRegistry} (Spring Boot makes one with Actuator). To leave them out, an
 * {@code ObservationPredicate} that refuses the name {@code multiprocess.task}.
 */
@AutoConfiguration(before = MultiprocessAutoConfiguration.class,
        afterName = "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration")
@ConditionalOnClass(ObservationRegistry.class)
@ConditionalOnBooleanProperty(name = "multiprocess.enabled", matchIfMissing = true)
@ConditionalOnBean(ObservationRegistry.class)
public class MultiprocessObservationAutoConfiguration {

    @Bean
    MultiprocessContextCustomizer multiprocessTaskObservations(ObservationRegistry registry,
            ObjectProvider<TaskObservationConvention> convention) {
        ObservationTaskTracer tracer = new ObservationTaskTracer(registry, convention.getIfUnique());
        return context -> context.setTaskTracer(tracer);
    }
}
