package io.multiprocess.spring.boot.autoconfigure.info;

import io.multiprocess.BaseContext;
import io.multiprocess.ProcessPool;
import io.multiprocess.spring.boot.autoconfigure.MultiprocessAutoConfiguration;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.info.ConditionalOnEnabledInfoContributor;
import org.springframework.boot.actuate.autoconfigure.info.InfoContributorFallback;
import org.springframework.boot.actuate.info.InfoContributor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The {@code multiprocess} info contributor, when Actuator is on the classpath: on by default (as Boot's own
 * {@code build} and {@code git} contributors), off with {@code management.info.multiprocess.enabled=false}.
 */
@AutoConfiguration(after = MultiprocessAutoConfiguration.class)
@ConditionalOnClass({InfoContributor.class, ConditionalOnEnabledInfoContributor.class})
@ConditionalOnBooleanProperty(name = "multiprocess.enabled", matchIfMissing = true)
@ConditionalOnBean(BaseContext.class)
@ConditionalOnEnabledInfoContributor(value = "multiprocess", fallback = InfoContributorFallback.USE_DEFAULTS_PROPERTY)
public class MultiprocessInfoContributorAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    MultiprocessInfoContributor multiprocessInfoContributor(ObjectProvider<BaseContext> context,
            ListableBeanFactory beans) {
        return new MultiprocessInfoContributor(context.getIfUnique(), () -> beans.getBeansOfType(ProcessPool.class));
    }
}
