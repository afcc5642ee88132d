package io.multiprocess.spring.boot.autoconfigure.endpoint;

import io.multiprocess.BaseContext;
import io.multiprocess.ProcessPool;
import io.multiprocess.spring.boot.autoconfigure.MultiprocessAutoConfiguration;
import io.multiprocess.spring.boot.autoconfigure.MultiprocessQueues;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/** The {@code multiprocess} actuator endpoint, when Actuator is on the classpath and the endpoint is exposed. */
@AutoConfiguration(after = MultiprocessAutoConfiguration.class)
@ConditionalOnClass({Endpoint.class, ConditionalOnAvailableEndpoint.class})
@ConditionalOnBooleanProperty(name = "multiprocess.enabled", matchIfMissing = true)
@ConditionalOnBean(BaseContext.class)
@ConditionalOnAvailableEndpoint(MultiprocessEndpoint.class)
public class MultiprocessEndpointAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    MultiprocessEndpoint multiprocessEndpoint(ObjectProvider<BaseContext> context, ListableBeanFactory beans,
            ObjectProvider<MultiprocessQueues> queues, ObjectProvider<MultiprocessEndpoint.ClusterSection> cluster) {
        return new MultiprocessEndpoint(context.getIfUnique(), () -> beans.getBeansOfType(ProcessPool.class),
                queues.getIfUnique(), cluster.getIfUnique());
    }
}
