package io.multiprocess.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.multiprocess.AsyncResult;
import io.multiprocess.BaseContext;
import io.multiprocess.Diagnostics;
import io.multiprocess.ForkServerContext;
import io.multiprocess.Multiprocess;
import io.multiprocess.ProcessPool;
import io.multiprocess.SpawnContext;
import io.multiprocess.pool.PoolSnapshot;
import io.multiprocess.queues.MpQueue;
import io.multiprocess.reduction.JavaReducer;
import io.multiprocess.reduction.KryoReducer;
import io.multiprocess.reduction.Reducer;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The auto-configuration's beans, properties and conditions; pools here start real worker JVMs. */
class MultiprocessAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(MultiprocessAutoConfiguration.class))
            .withPropertyValues("multiprocess.pool.processes=1");

    @AfterEach
    void noWorkerOutlivesItsApplicationContext() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!Diagnostics.liveChildJvms().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(Diagnostics.liveChildJvms()).as("child JVMs left by the application context").isEmpty();
    }

    @Test
    void byDefaultAForkserverContextOfItsOwnWithKryoAPoolAndNoQueues() {
        runner.run(context -> {
            assertThat(context).hasSingleBean(BaseContext.class).hasSingleBean(ProcessPool.class)
                    .hasSingleBean(Reducer.class).hasSingleBean(MultiprocessQueues.class);
            BaseContext multiprocess = context.getBean(BaseContext.class);
            assertThat(multiprocess).isInstanceOf(ForkServerContext.class)
                    .isNotSameAs(Multiprocess.getContext("forkserver"));
            assertThat(multiprocess.getReducer()).isInstanceOf(KryoReducer.class);
            assertThat(context.getBean(MultiprocessQueues.class).names()).isEmpty();
            ProcessPool pool = context.getBean(ProcessPool.class);
            assertThat(pool.apply(() -> ProcessHandle.current().pid())).isNotEqualTo(ProcessHandle.current().pid());
        });
    }

    @Test
    void propertiesShapeTheContextAndThePool() {
        runner.withPropertyValues("multiprocess.start-method=spawn", "multiprocess.reducer=java",
                "multiprocess.jvm-arguments=-Xmx128m", "multiprocess.startup-archive=false",
                "multiprocess.pool.processes=2").run(context -> {
                    BaseContext multiprocess = context.getBean(BaseContext.class);
                    assertThat(multiprocess).isInstanceOf(SpawnContext.class);
                    assertThat(multiprocess.getReducer()).isInstanceOf(JavaReducer.class);
                    assertThat(multiprocess.getJvmArguments()).containsExactly("-Xmx128m");
                    assertThat(multiprocess.isStartupArchive()).isFalse();
                    PoolSnapshot snapshot = context.getBean(ProcessPool.class).snapshot();
                    assertThat(snapshot.processes()).isEqualTo(2);
                });
    }

    @Test
    void theTaskTimeoutPropertyKillsARunawayTask() {
        runner.withPropertyValues("multiprocess.pool.task-timeout=500ms").run(context -> {
            ProcessPool pool = context.getBean(ProcessPool.class);
            AsyncResult<Object> runaway = pool.applyAsync(() -> {
                Thread.sleep(60_000);
                return null;
            });
            assertThatThrownBy(() -> runaway.get(Duration.ofSeconds(30)))
                    .isInstanceOf(io.multiprocess.pool.TaskTimeoutException.class);
        });
    }

    @Test
    void namedQueuesComeFromProperties() {
        runner.withPropertyValues("multiprocess.queues.orders.maxsize=2", "multiprocess.queues.events.maxsize=0")
                .run(context -> {
                    MultiprocessQueues queues = context.getBean(MultiprocessQueues.class);
                    assertThat(queues.names()).containsExactly("orders", "events");
                    MpQueue<String> orders = queues.queue("orders");
                    assertThat(orders.maxsize()).isEqualTo(2);
                    assertThat(queues.<String>queue("events").maxsize()).isZero();
                    assertThatThrownBy(() -> queues.queue("invoices")).isInstanceOf(IllegalArgumentException.class)
                            .hasMessageContaining("multiprocess.queues.invoices.maxsize");
                });
    }

    @Test
    void thePoolCanBeSwitchedOff() {
        runner.withPropertyValues("multiprocess.pool.enabled=false").run(context -> assertThat(context)
                .hasSingleBean(BaseContext.class).doesNotHaveBean(ProcessPool.class)
                .doesNotHaveBean(ProcessPoolLifecycle.class));
    }

    @Test
    void everyBeanBacksOffWhenTheApplicationDefinesItsOwn() {
        runner.withUserConfiguration(OwnBeans.class).run(context -> {
            assertThat(context.getBean(BaseContext.class)).isSameAs(OwnBeans.CONTEXT);
            assertThat(context.getBean(Reducer.class)).isSameAs(OwnBeans.REDUCER);
            assertThat(context.getBean(ProcessPool.class)).isSameAs(context.getBean("ownPool"));
            assertThat(context).hasSingleBean(ProcessPool.class).hasSingleBean(BaseContext.class);
        });
    }

    @Test
    void anImpossibleStartMethodFailsStartupSayingWhyAndWhatToDo() {
        runner.withPropertyValues("multiprocess.start-method=fork").run(context -> {
            assertThat(context).hasFailed();
            Throwable failure = context.getStartupFailure();
            MultiprocessPropertyException cause = findCause(failure);
            assertThat(cause.getProperty()).isEqualTo("multiprocess.start-method");
            assertThat(cause.getMessage()).contains("'fork'").contains("cannot exist on a JVM");
            assertThat(new MultiprocessPropertyFailureAnalyzer().analyze(failure))
                    .satisfies(analysis -> {
                        assertThat(analysis.getDescription()).contains("multiprocess.start-method");
                        assertThat(analysis.getAction()).contains("forkserver or spawn");
                    });
        });
    }

    @Test
    void otherInvalidValuesNameTheirProperty() {
        runner.withPropertyValues("multiprocess.reducer=yaml").run(context ->
                assertThat(findCause(context.getStartupFailure()).getProperty()).isEqualTo("multiprocess.reducer"));
        runner.withPropertyValues("multiprocess.pool.processes=0").run(context ->
                assertThat(findCause(context.getStartupFailure()).getProperty())
                        .isEqualTo("multiprocess.pool.processes"));
        runner.withPropertyValues("multiprocess.queues.orders.maxsize=-1").run(context ->
                assertThat(findCause(context.getStartupFailure()).getProperty())
                        .isEqualTo("multiprocess.queues.orders.maxsize"));
        runner.withPropertyValues("multiprocess.forkserver-preload=com.example.Missing").run(context ->
                assertThat(findCause(context.getStartupFailure()).getProperty())
                        .isEqualTo("multiprocess.forkserver-preload"));
    }

    @Test
    void closingTheApplicationLetsRunningTasksFinishWithinTheGracePeriod() {
        AsyncResult<?>[] task = new AsyncResult<?>[1];
        runner.withPropertyValues("multiprocess.pool.shutdown-grace-period=30s").run(context -> {
            task[0] = context.getBean(ProcessPool.class).applyAsync(() -> {
                Thread.sleep(1_000);
                return "finished";
            });
            Thread.sleep(200);
        });

        assertThat(task[0].ready()).isTrue();
        assertThat(task[0].successful()).isTrue();
        assertThat(task[0].get()).isEqualTo("finished");
    }

    @Test
    void closingTheApplicationKillsTasksStillRunningAfterTheGracePeriod() {
        AsyncResult<?>[] task = new AsyncResult<?>[1];
        long[] closedAfter = new long[1];
        runner.withPropertyValues("multiprocess.pool.shutdown-grace-period=300ms").run(context -> {
            task[0] = context.getBean(ProcessPool.class).applyAsync(() -> {
                Thread.sleep(60_000);
                return "never";
            });
            Thread.sleep(200);
            closedAfter[0] = System.nanoTime();
        });

        assertThat(Duration.ofNanos(System.nanoTime() - closedAfter[0])).isLessThan(Duration.ofSeconds(30));
        // Its failure is reported as the killed worker's exit is noticed, just after the close.
        task[0].waitFor(Duration.ofSeconds(10));
        assertThat(task[0].ready()).isTrue();
        assertThat(task[0].successful()).isFalse();
    }

    private static MultiprocessPropertyException findCause(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof MultiprocessPropertyException property) {
                return property;
            }
        }
        throw new AssertionError("no MultiprocessPropertyException in", failure);
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnBeans {

        static final BaseContext CONTEXT = Multiprocess.newContext("spawn");
        static final Reducer REDUCER = new JavaReducer();

        @Bean
        BaseContext ownContext() {
            return CONTEXT;
        }

        @Bean
        Reducer ownReducer() {
            return REDUCER;
        }

        @Bean(destroyMethod = "terminate")
        ProcessPool ownPool(BaseContext context) {
            return context.pool(1);
        }
    }
}
