package io.multiprocess.spring.boot.autoconfigure.dashboard;

import io.multiprocess.BaseContext;
import io.multiprocess.ProcessPool;
import io.multiprocess.spring.boot.autoconfigure.MultiprocessAutoConfiguration;
import io.multiprocess.spring.boot.autoconfigure.MultiprocessProperties;
import io.multiprocess.spring.boot.autoconfigure.MultiprocessPropertyException;
import java.time.Duration;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * The live dashboard, when {@code multiprocess.dashboard.enabled=true} in a servlet web application with Spring
 * MVC: a read-only page at {@code multiprocess.dashboard.path} ({@code /multiprocess}) showing every
 * {@link ProcessPool} bean, and its data as JSON at that path plus {@code /data} ({@link DashboardData}). Routes, not
 * a controller, so nothing is component-scanned and nothing is served unless switched on.
 *
 * <pre>
 * multiprocess:
 *   dashboard:
 *     enabled: true
 *     path: /ops/workers      # the page; its data at /ops/workers/data
 *     history: 30m            # how far back the charts go
 * </pre>
 */
@AutoConfiguration(after = MultiprocessAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(RouterFunction.class)
@ConditionalOnBooleanProperty(name = "multiprocess.enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty("multiprocess.dashboard.enabled")
@ConditionalOnBean(BaseContext.class)
@EnableConfigurationProperties(MultiprocessProperties.class)
public class MultiprocessDashboardAutoConfiguration {

    /** Listens to every pool from before its first task, so the charts have the whole history. */
    @Bean
    @ConditionalOnMissingBean
    DashboardHistory multiprocessDashboardHistory(ListableBeanFactory beans, MultiprocessProperties properties) {
        Duration history = properties.getDashboard().getHistory();
        if (history == null || history.isNegative() || history.isZero()) {
            throw new MultiprocessPropertyException("multiprocess.dashboard.history", history,
                    "the charts need a positive length of time to cover", "Set it to a duration such as 10m.", null);
        }
        return new DashboardHistory(beans, history);
    }

    @Bean
    @ConditionalOnMissingBean(name = "multiprocessDashboardRoutes")
    RouterFunction<ServerResponse> multiprocessDashboardRoutes(ListableBeanFactory beans, DashboardHistory history,
            MultiprocessProperties properties) {
        String path = properties.getDashboard().getPath();
        if (path == null || !path.startsWith("/") || path.contains("{") || path.contains("*")) {
            throw new MultiprocessPropertyException("multiprocess.dashboard.path", path,
                    "the dashboard needs a plain path from the root of the application",
                    "Set it to a path starting with '/', such as /multiprocess.", null);
        }
        return new DashboardRoutes(() -> beans.getBeansOfType(ProcessPool.class), history).at(path);
    }
}
