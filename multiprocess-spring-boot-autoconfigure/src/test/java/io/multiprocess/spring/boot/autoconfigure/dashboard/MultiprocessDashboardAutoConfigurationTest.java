package io.multiprocess.spring.boot.autoconfigure.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import io.multiprocess.ProcessPool;
import io.multiprocess.pool.TaskFailedException;
import io.multiprocess.pool.TaskTimeoutException;
import io.multiprocess.spring.boot.autoconfigure.MultiprocessAutoConfiguration;
import io.multiprocess.spring.boot.autoconfigure.MultiprocessPropertyException;
import io.multiprocess.spring.boot.autoconfigure.NoWorkerOutlivesItsTest;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.servlet.function.RouterFunction;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The dashboard: off unless switched on, only in servlet web applications with Spring MVC, and its routes serving
 * the page and the data of real pools. Most tests need no worker: they switch the primary pool off.
 */
@ExtendWith(NoWorkerOutlivesItsTest.class)
class MultiprocessDashboardAutoConfigurationTest {

    private static final String ROUTES = "multiprocessDashboardRoutes";

    private final WebApplicationContextRunner web = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(MultiprocessAutoConfiguration.class,
                    MultiprocessDashboardAutoConfiguration.class))
            .withPropertyValues("multiprocess.pool.enabled=false");

    @Test
    void offByDefault() {
        web.run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(ROUTES)
                .doesNotHaveBean(DashboardHistory.class));
    }

    @Test
    void onWithThePropertyInAServletWebApplication() {
        web.withPropertyValues("multiprocess.dashboard.enabled=true").run(context -> assertThat(context)
                .hasBean(ROUTES).hasSingleBean(DashboardHistory.class));
    }

    @Test
    void absentOutsideAServletWebApplicationOrWithoutSpringMvcOrMultiprocess() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(MultiprocessAutoConfiguration.class,
                        MultiprocessDashboardAutoConfiguration.class))
                .withPropertyValues("multiprocess.pool.enabled=false", "multiprocess.dashboard.enabled=true")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(ROUTES));
        web.withPropertyValues("multiprocess.dashboard.enabled=true")
                .withClassLoader(new FilteredClassLoader(RouterFunction.class))
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(ROUTES));
        web.withPropertyValues("multiprocess.dashboard.enabled=true", "multiprocess.enabled=false")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(ROUTES));
    }

    @Test
    void theDataOfARealPoolHasItsWorkersHistoryAndFailuresWithTheThreadDumpOfATimeout() {
        web.withPropertyValues("multiprocess.dashboard.enabled=true", "multiprocess.pool.enabled=true",
                "multiprocess.pool.processes=1").run(context -> {
            ProcessPool pool = context.getBean(ProcessPool.class);
            pool.map(x -> x * 2, java.util.List.of(1, 2, 3, 4), 2);
            assertThatThrownBy(() -> pool.apply(() -> {
                throw new IllegalStateException("no such report");
            })).isInstanceOf(TaskFailedException.class);
            assertThatThrownBy(() -> pool.applyAsync(() -> {
                Thread.sleep(30_000);
                return null;
            }, Duration.ofMillis(500)).get()).isInstanceOf(TaskTimeoutException.class);
            pool.apply(() -> "on the replacement, so it is ready when the data is read");

            MockHttpServletResponse response = mvc(context).perform(get("/multiprocess/data")).andReturn()
                    .getResponse();
            assertThat(response.getStatus()).isEqualTo(200);
            assertThat(response.getContentType()).startsWith("application/json");
            assertThat(response.getHeader("Cache-Control")).isEqualTo("no-store");
            JsonNode data = JsonMapper.builder().build().readTree(response.getContentAsString());

            assertThat(data.get("historyMillis").asLong()).isEqualTo(600_000);
            assertThat(data.get("intervalMillis").asLong()).isEqualTo(5_000);
            JsonNode primary = data.get("pools").get("multiprocessPool");
            assertThat(primary.get("state").asString()).isEqualTo("running");
            assertThat(primary.get("startMethod").asString()).isEqualTo("forkserver");
            JsonNode worker = primary.get("workers").get(0);
            assertThat(worker.get("pid").asLong()).isEqualTo(pool.snapshot().workers().get(0).pid());
            assertThat(worker.has("residentBytes")).isTrue();
            assertThat(worker.get("timeSpent").get("startingMillis").asLong()).isPositive();
            assertThat(primary.get("totals").get("tasks").get("success").asLong()).isEqualTo(3);
            assertThat(primary.get("totals").get("tasks").get("timeout").asLong()).isEqualTo(1);

            JsonNode history = primary.get("history");
            assertThat(history.size()).isEqualTo(120);
            long tasks = 0;
            for (JsonNode interval : history) {
                tasks += interval.get("tasks").asLong();
            }
            assertThat(tasks).as("two chunks, a failure, a timeout, an apply").isEqualTo(5);

            JsonNode failures = primary.get("failures");
            assertThat(failures.size()).isEqualTo(2);
            JsonNode timeout = failures.get(0);
            assertThat(timeout.get("outcome").asString()).isEqualTo("timeout");
            assertThat(timeout.get("threadDump").asString()).contains("<- ran the task", "Thread.sleep");
            JsonNode failure = failures.get(1);
            assertThat(failure.get("outcome").asString()).isEqualTo("failure");
            assertThat(failure.get("stackTrace").asString()).contains("IllegalStateException: no such report");
        });
    }

    @Test
    void theSelfContainedPageIsServedAtThePathWithAPolicyThatAllowsOnlyItselfAndNothingWrites() {
        web.withPropertyValues("multiprocess.dashboard.enabled=true", "multiprocess.dashboard.path=/ops/workers")
                .run(context -> {
            MockMvc mvc = mvc(context);
            for (String path : new String[] {"/ops/workers", "/ops/workers/"}) {
                MockHttpServletResponse page = mvc.perform(get(path)).andReturn().getResponse();
                assertThat(page.getStatus()).isEqualTo(200);
                assertThat(page.getContentType()).isEqualTo("text/html;charset=UTF-8");
                String html = page.getContentAsString();
                assertThat(html).contains("<script>", "data-pool").doesNotContain("<script src", "<link", "@import",
                        "url(");
                assertThat(page.getHeader("Content-Security-Policy")).contains("default-src 'none'",
                        "connect-src 'self'", "script-src '" + DashboardRoutes.hash(html, "script") + "'");
            }
            MockHttpServletResponse data = mvc.perform(get("/ops/workers/data")).andReturn().getResponse();
            assertThat(data.getStatus()).isEqualTo(200);
            assertThat(data.getContentAsString()).contains("\"pools\":{}");
            assertThat(mvc.perform(post("/ops/workers/data")).andReturn().getResponse().getStatus())
                    .isGreaterThanOrEqualTo(400);
            assertThat(mvc.perform(get("/multiprocess/data")).andReturn().getResponse().getStatus())
                    .isEqualTo(404);
        });
    }

    @Test
    void aPathOrHistoryItCannotUseFailsStartupSayingWhichProperty() {
        web.withPropertyValues("multiprocess.dashboard.enabled=true", "multiprocess.dashboard.path=multiprocess")
                .run(context -> assertThat(context).getFailure().rootCause()
                        .isInstanceOf(MultiprocessPropertyException.class)
                        .hasMessageContaining("multiprocess.dashboard.path"));
        web.withPropertyValues("multiprocess.dashboard.enabled=true", "multiprocess.dashboard.history=0s")
                .run(context -> assertThat(context).getFailure().rootCause()
                        .isInstanceOf(MultiprocessPropertyException.class)
                        .hasMessageContaining("multiprocess.dashboard.history"));
    }

    private static MockMvc mvc(ApplicationContext context) {
        return MockMvcBuilders.routerFunctions(context.getBean(ROUTES, RouterFunction.class)).build();
    }
}
