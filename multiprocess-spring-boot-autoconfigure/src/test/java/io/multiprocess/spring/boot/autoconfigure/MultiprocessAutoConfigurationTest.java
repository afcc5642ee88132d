package io.multiprocess.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.multiprocess.AsyncResult;
import io.multiprocess.BaseContext;
import io.multiprocess.Diagnostics;
import io.multiprocess.ForkServerContext;
import io.multiprocess.Multiprocess;
import io.multiprocess.Pool;
import io.multiprocess.ProcessPool;
import io.multiprocess.SpawnContext;
import io.multiprocess.ThreadPool;
import io.multiprocess.pool.ExitPolicy;
import io.multiprocess.pool.PoolListener;
import io.multiprocess.pool.PoolOptions;
import io.multiprocess.pool.PoolSnapshot;
import io.multiprocess.queues.JoinableQueue;
import io.multiprocess.queues.MpQueue;
import io.multiprocess.reduction.JavaReducer;
import io.multiprocess.reduction.KryoReducer;
import io.multiprocess.reduction.Reducer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.LifecycleProcessor;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The auto-configuration's beans, properties and conditions; pools here start real worker JVMs. */
@ExtendWith(NoWorkerOutlivesItsTest.class)
class MultiprocessAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(MultiprocessAutoConfiguration.class))
            .withPropertyValues("multiprocess.pool.processes=1");

    @Test
    void prewarmBootsWarmJvmsOnceTheApplicationHasStartedAndANegativeCountFailsStartup() {
        runner.withPropertyValues("multiprocess.prewarm=3").run(context -> {
            assertThat(context).hasNotFailed();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (Diagnostics.liveChildJvms().stream().filter(jvm -> jvm.idleSpare() && jvm.ready()).count() < 3) {
                assertThat(System.nanoTime()).as("three warm spares after start").isLessThan(deadline);
                Thread.sleep(20);
            }
            ProcessPool later = context.getBean(BaseContext.class).pool(2);
            try {
                assertThat(later.apply(() -> 1)).isEqualTo(1);
            } finally {
                later.terminate();
                later.join(Duration.ofSeconds(20));
            }
        });
        runner.withPropertyValues("multiprocess.prewarm=-1").run(context -> assertThat(context).hasFailed()
                .getFailure().rootCause().isInstanceOf(MultiprocessPropertyException.class)
                .hasMessageContaining("multiprocess.prewarm"));
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
            assertThat(pool.isStarted()).as("started by the lifecycle once the context refreshed").isTrue();
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
    void namedQueuesAreBeansAndEveryInjectionPointHasItsOwnHandle() {
        runner.withPropertyValues("multiprocess.queues.orders.maxsize=2", "multiprocess.queues.events.maxsize=0",
                "multiprocess.queues.jobs.joinable=true").withUserConfiguration(QueueUsers.class).run(context -> {
                    MultiprocessQueues queues = context.getBean(MultiprocessQueues.class);
                    assertThat(queues.names()).containsExactly("orders", "events", "jobs");
                    QueueUsers users = context.getBean(QueueUsers.class);
                    assertThat(users.orders.maxsize()).isEqualTo(2);
                    assertThat(context.getBean("jobs")).isInstanceOf(JoinableQueue.class);

                    users.orders.put("first");
                    users.orders.close();
                    // Another caller's handle, the lookup and the endpoint's size are untouched by that close.
                    assertThat(users.sameOrders.isClosed()).isFalse();
                    assertThat(queues.size("orders")).isEqualTo(1);
                    assertThat(users.sameOrders.get()).isEqualTo("first");
                    users.jobs.put("job");
                    users.jobs.get();
                    users.jobs.taskDone();
                    assertThat(users.jobs.join(Duration.ofSeconds(5))).isTrue();
                    assertThatThrownBy(() -> queues.queue("invoices")).isInstanceOf(IllegalArgumentException.class)
                            .hasMessageContaining("multiprocess.queues.invoices.maxsize");
                });
    }

    @Test
    void namedPoolsAreBeansWithTheirOwnSettingsBesideThePrimaryPool() {
        runner.withPropertyValues("multiprocess.pools.isolated.processes=1",
                "multiprocess.pools.isolated.jvm-arguments=-Xmx96m", "multiprocess.pools.isolated.start-method=spawn",
                "multiprocess.pools.isolated.max-tasks-per-child=7", "multiprocess.pools.off.enabled=false")
                .withUserConfiguration(PoolUsers.class).run(context -> {
                    assertThat(context.getBeansOfType(ProcessPool.class)).containsOnlyKeys("multiprocessPool",
                            "isolated");
                    PoolUsers users = context.getBean(PoolUsers.class);
                    assertThat(users.primary).isSameAs(context.getBean("multiprocessPool"));
                    assertThat(users.isolated).isSameAs(context.getBean("isolated"));
                    assertThat(users.isolated.options().maxTasksPerChild()).isEqualTo(7);
                    assertThat(users.isolated.context().getStartMethod()).isEqualTo("spawn");
                    assertThat(users.primary.context().getStartMethod()).isEqualTo("forkserver");

                    long pid = users.isolated.apply(() -> ProcessHandle.current().pid());
                    String commandLine = Files.readString(Path.of("/proc/" + pid + "/cmdline")).replace('\0', ' ');
                    assertThat(commandLine).contains("-Xmx96m");
                    long primaryPid = users.primary.apply(() -> ProcessHandle.current().pid());
                    assertThat(Files.readString(Path.of("/proc/" + primaryPid + "/cmdline"))).doesNotContain("-Xmx96m");
                });
    }

    @Test
    void workersStartWithTheApplicationNotWhenTheBeanIsCreated() throws Exception {
        // What -Dspring.context.exit=onRefresh (a CDS or AOT cache training run) does: the context refreshes, then
        // the JVM exits before lifecycle beans are started. Here the lifecycle processor simply does not start them.
        try (AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext()) {
            TestPropertyValues.of("multiprocess.pool.processes=1", "multiprocess.pools.other.processes=1")
                    .applyTo(context);
            context.registerBean("lifecycleProcessor", LifecycleProcessor.class, NoStartLifecycleProcessor::new);
            context.register(MultiprocessAutoConfiguration.class);
            context.refresh();

            Thread.sleep(300);
            assertThat(context.getBeansOfType(ProcessPool.class).values()).hasSize(2).allSatisfy(pool -> {
                assertThat(pool.isStarted()).isFalse();
                assertThat(pool.snapshot().workers()).isEmpty();
            });
            assertThat(Diagnostics.liveChildJvms()).as("no JVM launched by a refresh alone").isEmpty();

            context.getBean(ProcessPoolLifecycle.class).start();
            assertThat(context.getBeansOfType(ProcessPool.class).values()).allSatisfy(pool ->
                    assertThat(pool.isStarted()).isTrue());
        }
    }

    @Test
    void customizersShapeEveryPoolAndContextTheStarterMakes() {
        runner.withPropertyValues("multiprocess.pools.isolated.processes=1",
                "multiprocess.pools.isolated.startup-archive=false").withUserConfiguration(Customizers.class)
                .run(context -> {
                    ProcessPool primary = context.getBean("multiprocessPool", ProcessPool.class);
                    ProcessPool isolated = context.getBean("isolated", ProcessPool.class);
                    // The context customizer's flag reached both contexts; the initializer ran in every worker.
                    assertThat(primary.apply(() -> System.getProperty("customized"))).isEqualTo("yes");
                    assertThat(isolated.apply(() -> System.getProperty("initialized"))).isEqualTo("isolated");
                    assertThat(primary.apply(() -> System.getProperty("initialized"))).isEqualTo("multiprocessPool");
                    assertThat(isolated.apply(() -> System.getProperty("customized"))).isEqualTo("yes");
                    // The listener was added before the first worker started, so it heard it.
                    assertThat(context.getBean(Customizers.class).started).containsKeys("multiprocessPool",
                            "isolated");
                });
    }

    @Test
    void thePoolCanBeSwitchedOffAndTheWholeStarterToo() {
        runner.withPropertyValues("multiprocess.pool.enabled=false").run(context -> assertThat(context)
                .hasSingleBean(BaseContext.class).doesNotHaveBean(ProcessPool.class));
        runner.withPropertyValues("multiprocess.enabled=false").run(context -> assertThat(context).hasNotFailed()
                .doesNotHaveBean(BaseContext.class).doesNotHaveBean(ProcessPool.class)
                .doesNotHaveBean(MultiprocessQueues.class));
    }

    @Test
    void everyBeanBacksOffWhenTheApplicationDefinesItsOwn() {
        runner.withUserConfiguration(OwnBeans.class).run(context -> {
            assertThat(context.getBean(BaseContext.class)).isSameAs(OwnBeans.CONTEXT);
            assertThat(context.getBean(Reducer.class)).isSameAs(OwnBeans.REDUCER);
            assertThat(context.getBean(ProcessPool.class)).isSameAs(context.getBean("ownPool"));
            assertThat(context).hasSingleBean(ProcessPool.class).hasSingleBean(BaseContext.class);
        });
        runner.withUserConfiguration(OwnBeans.class).withPropertyValues("multiprocess.pools.named.processes=1")
                .withBean(PoolUser.class).run(context -> {
                    assertThat(context.getBean(PoolUser.class).pool).as("named pools are injected by qualifier only")
                            .isSameAs(context.getBean("ownPool"));
                    assertThat(context.getBeansOfType(ProcessPool.class)).containsOnlyKeys("ownPool", "named");
                });
        runner.withUserConfiguration(OwnLifecycle.class).run(context -> assertThat(context)
                .doesNotHaveBean(ProcessPoolLifecycle.class).hasBean("multiprocessPoolLifecycle"));
    }

    @Test
    void twoPoolsAndTwoContextsOfTheApplicationAreStartedAndStoppedByTheirOwnOptions() {
        AsyncResult<?>[] drained = new AsyncResult<?>[1];
        AsyncResult<?>[] terminated = new AsyncResult<?>[1];
        runner.withUserConfiguration(TwoOfEach.class).run(context -> {
            assertThat(context).hasNotFailed().doesNotHaveBean("multiprocessPool");
            ProcessPool draining = context.getBean("draining", ProcessPool.class);
            ProcessPool terminating = context.getBean("terminating", ProcessPool.class);
            drained[0] = draining.applyAsync(() -> {
                Thread.sleep(800);
                return "finished";
            });
            terminated[0] = terminating.applyAsync(() -> {
                Thread.sleep(60_000);
                return "never";
            });
            Thread.sleep(300);
        });
        assertThat(drained[0].get(Duration.ofSeconds(1))).as("drain(30s): given its grace").isEqualTo("finished");
        terminated[0].waitFor(Duration.ofSeconds(10));
        assertThat(terminated[0].successful()).as("terminate(): no grace").isFalse();
    }

    @Test
    void testsCanRunCodeThatDependsOnPoolOnThreadsAsDocsSpringBootMdShows() {
        runner.withPropertyValues("multiprocess.pool.enabled=false").withUserConfiguration(ThreadPoolForTests.class)
                .withBean(PoolUser.class).run(context -> {
                    assertThat(context).hasNotFailed().doesNotHaveBean(ProcessPool.class);
                    Pool pool = context.getBean(PoolUser.class).pool;
                    assertThat(pool).isInstanceOf(ThreadPool.class);
                    assertThat(pool.apply(() -> ProcessHandle.current().pid()))
                            .isEqualTo(ProcessHandle.current().pid());
                });
    }

    @Test
    void anUnknownStartMethodFailsStartupListingTheValues() {
        runner.withPropertyValues("multiprocess.start-method=fork").run(context -> {
            assertThat(context).hasFailed();
            BindException bind = findCause(context.getStartupFailure(), BindException.class);
            assertThat(bind.getProperty().getName().toString()).isEqualTo("multiprocess.start-method");
            assertThat(bind.getProperty().getValue()).isEqualTo("fork");
        });
    }

    @Test
    void otherInvalidValuesNameTheirProperty() {
        runner.withPropertyValues("multiprocess.reducer=yaml").run(context ->
                assertThat(property(context.getStartupFailure())).isEqualTo("multiprocess.reducer"));
        runner.withPropertyValues("multiprocess.pool.processes=0").run(context ->
                assertThat(property(context.getStartupFailure())).isEqualTo("multiprocess.pool.processes"));
        runner.withPropertyValues("multiprocess.pools.small.processes=0").run(context ->
                assertThat(property(context.getStartupFailure())).isEqualTo("multiprocess.pools.small.processes"));
        runner.withPropertyValues("multiprocess.pools.small.reducer=yaml").run(context ->
                assertThat(property(context.getStartupFailure())).isEqualTo("multiprocess.pools.small.reducer"));
        runner.withPropertyValues("multiprocess.queues.orders.maxsize=-1").run(context ->
                assertThat(property(context.getStartupFailure())).isEqualTo("multiprocess.queues.orders.maxsize"));
        runner.withPropertyValues("multiprocess.forkserver-preload=com.example.Missing").run(context ->
                assertThat(property(context.getStartupFailure())).isEqualTo("multiprocess.forkserver-preload"));
        runner.withPropertyValues("multiprocess.pools.orders.processes=1", "multiprocess.queues.orders.maxsize=1")
                .run(context -> {
                    MultiprocessPropertyException clash = findCause(context.getStartupFailure(),
                            MultiprocessPropertyException.class);
                    assertThat(clash.getProperty()).isEqualTo("multiprocess.queues.orders");
                    assertThat(new MultiprocessPropertyFailureAnalyzer().analyze(context.getStartupFailure())
                            .getAction()).contains("Rename the pool or queue");
                });
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

    private static String property(Throwable failure) {
        return findCause(failure, MultiprocessPropertyException.class).getProperty();
    }

    private static <T extends Throwable> T findCause(Throwable failure, Class<T> type) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return type.cast(cause);
            }
        }
        throw new AssertionError("no " + type.getSimpleName() + " in", failure);
    }

    /** Refreshes without starting lifecycle beans, as a training run that exits on refresh. */
    static class NoStartLifecycleProcessor implements LifecycleProcessor {
        @Override
        public void onRefresh() {
        }

        @Override
        public void onClose() {
        }

        @Override
        public void start() {
        }

        @Override
        public void stop() {
        }

        @Override
        public boolean isRunning() {
            return false;
        }
    }

    static class QueueUsers {
        final MpQueue<String> orders;
        final MpQueue<String> sameOrders;
        final JoinableQueue<String> jobs;

        QueueUsers(@Qualifier("orders") MpQueue<String> orders, @Qualifier("orders") MpQueue<String> sameOrders,
                @Qualifier("jobs") JoinableQueue<String> jobs) {
            this.orders = orders;
            this.sameOrders = sameOrders;
            this.jobs = jobs;
        }
    }

    static class PoolUser {
        final Pool pool;

        PoolUser(Pool pool) {
            this.pool = pool;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class ThreadPoolForTests {
        @Bean(destroyMethod = "terminate")
        Pool pool() {
            return new ThreadPool(2);
        }
    }

    static class PoolUsers {
        final ProcessPool primary;
        final ProcessPool isolated;

        PoolUsers(ProcessPool primary, @Qualifier("isolated") ProcessPool isolated) {
            this.primary = primary;
            this.isolated = isolated;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Customizers {

        final Map<String, Long> started = new ConcurrentHashMap<>();

        @Bean
        ProcessPoolCustomizer initializerAndListener() {
            return pool -> {
                String name = pool.name();
                pool.options(options -> options.initializer(() -> System.setProperty("initialized", name)))
                        .listener(new PoolListener() {
                            @Override
                            public void workerStarted(long workerPid) {
                                started.put(name, workerPid);
                            }
                        });
            };
        }

        @Bean
        MultiprocessContextCustomizer flag() {
            return context -> {
                List<String> arguments = new ArrayList<>(context.getJvmArguments());
                arguments.add("-Dcustomized=yes");
                context.setJvmArguments(arguments);
            };
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnLifecycle {
        @Bean
        SmartLifecycle multiprocessPoolLifecycle(ObjectProvider<ProcessPool> pools) {
            return new SmartLifecycle() {
                private volatile boolean running;

                @Override
                public void start() {
                    pools.forEach(ProcessPool::start);
                    running = true;
                }

                @Override
                public void stop() {
                    pools.forEach(ProcessPool::terminate);
                    running = false;
                }

                @Override
                public boolean isRunning() {
                    return running;
                }
            };
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class TwoOfEach {

        @Bean(destroyMethod = "close")
        BaseContext forkserver() {
            return Multiprocess.newContext("forkserver");
        }

        @Bean(destroyMethod = "close")
        BaseContext spawn() {
            return Multiprocess.newContext("spawn");
        }

        @Bean(destroyMethod = "terminate")
        ProcessPool draining(@Qualifier("forkserver") BaseContext context) {
            return context.pool(PoolOptions.defaults().processes(1).exitPolicy(ExitPolicy.drain(Duration.ofSeconds(30))));
        }

        @Bean(destroyMethod = "terminate")
        ProcessPool terminating(@Qualifier("spawn") BaseContext context) {
            return context.pool(PoolOptions.defaults().processes(1));
        }
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
