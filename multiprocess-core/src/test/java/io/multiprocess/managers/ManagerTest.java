package io.multiprocess.managers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.multiprocess.BaseContext;
import io.multiprocess.MpProcess;
import io.multiprocess.Multiprocess;
import io.multiprocess.errors.AuthenticationException;
import io.multiprocess.errors.MultiprocessException;
import io.multiprocess.function.SerializableRunnable;
import io.multiprocess.sharedctypes.CType;
import io.multiprocess.testing.FreshContexts;
import java.io.IOException;
import java.io.Serializable;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Managers with real server processes and real child JVMs using their proxies. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ManagerTest {

    private static final Duration PATIENCE = Duration.ofSeconds(90);

    @RegisterExtension
    final FreshContexts contexts = new FreshContexts();

    private final List<MpProcess> children = new ArrayList<>();

    /** What a registered type exposes. */
    public interface CounterApi {
        int increment();

        int value();

        void failWith(String message);

        void checked() throws IOException;
    }

    /** A registered type: thread-safe, since the server calls it from one thread per client connection. */
    public static final class Counter implements CounterApi, Serializable {
        private int value;

        @Override
        public synchronized int increment() {
            return ++value;
        }

        @Override
        public synchronized int value() {
            return value;
        }

        @Override
        public void failWith(String message) {
            throw new IllegalStateException(message);
        }

        @Override
        public void checked() throws IOException {
            throw new IOException("disk on fire");
        }
    }

    @AfterEach
    void stopChildren() {
        for (MpProcess child : children) {
            if (child.pid() != null && !child.join(Duration.ofSeconds(1))) {
                child.kill();
                child.join();
            }
        }
    }

    private MpProcess run(BaseContext ctx, SerializableRunnable target) {
        MpProcess child = ctx.process(target);
        children.add(child);
        child.start();
        return child;
    }

    private static void joinedWithExitCodeZero(MpProcess child) {
        assertThat(child.join(PATIENCE)).as("%s ended", child).isTrue();
        assertThat(child.exitCode()).as("exit code of %s", child).isZero();
    }

    @Test
    void dictListSetAndNamespaceAreReadAndWrittenFromChildren() {
        BaseContext ctx = Multiprocess.getContext();
        try (SyncManager manager = ctx.manager()) {
            Map<String, Integer> scores = manager.dict(Map.of("parent", 1));
            List<String> log = manager.list();
            Set<Integer> seen = manager.set();
            Namespace settings = manager.namespace();
            settings.set("threshold", 0.75);

            MpProcess child = run(ctx, () -> {
                scores.put("child", scores.get("parent") + 41);
                log.add("child saw threshold " + settings.<Double>get("threshold"));
                seen.addAll(List.of(1, 2, 2, 3));
                settings.set("pid", ProcessHandle.current().pid());
            });
            joinedWithExitCodeZero(child);

            assertThat(scores).containsExactly(Map.entry("parent", 1), Map.entry("child", 42));
            assertThat(scores.keySet()).containsExactly("parent", "child");
            assertThat(log).containsExactly("child saw threshold 0.75");
            assertThat(seen).containsExactly(1, 2, 3);
            assertThat(settings.<Long>get("pid")).isEqualTo(child.pid());
            assertThat(settings.names()).containsExactly("threshold", "pid");
            assertThatThrownBy(() -> settings.get("missing")).isInstanceOf(NoSuchElementException.class)
                    .hasMessageContaining("'missing'");
            assertThat(settings.get("missing", "fallback")).isEqualTo("fallback");
        }
    }

    @Test
    void severalChildrenChangeOneDictAndFunctionsRunAtomicallyInTheServer() {
        BaseContext ctx = Multiprocess.getContext();
        try (SyncManager manager = ctx.manager()) {
            Map<String, Integer> counts = manager.dict();
            List<MpProcess> started = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                started.add(run(ctx, () -> {
                    for (int n = 0; n < 100; n++) {
                        counts.merge("hits", 1, (java.util.function.BiFunction<Integer, Integer, Integer>
                                & Serializable) Integer::sum);
                    }
                }));
            }
            started.forEach(ManagerTest::joinedWithExitCodeZero);
            assertThat(counts.get("hits")).isEqualTo(300);
        }
    }

    @Test
    void aDictNestedInAListComesBackAsAWorkingProxyAndChangesPropagate() {
        BaseContext ctx = Multiprocess.getContext();
        try (SyncManager manager = ctx.manager()) {
            List<Map<String, String>> outer = manager.list();
            Map<String, String> inner = manager.dict();
            outer.add(inner);
            Namespace ns = manager.namespace();
            ns.set("list", outer);

            MpProcess child = run(ctx, () -> {
                List<Map<String, String>> fromNamespace = ns.get("list");
                fromNamespace.get(0).put("written by", "child");
            });
            joinedWithExitCodeZero(child);

            assertThat(inner).containsEntry("written by", "child");
            Map<String, String> again = outer.get(0);
            assertThat(again).isEqualTo(inner).containsEntry("written by", "child");
            again.put("second", "parent");
            assertThat(inner.get("second")).isEqualTo("parent");
        }
    }

    @Test
    void aRegisteredTypeIsCreatedInTheServerAndCalledFromChildren() {
        BaseContext ctx = Multiprocess.getContext();
        try (SyncManager manager = SyncManager.builder().register("Counter", Counter::new, CounterApi.class)
                .start(ctx)) {
            CounterApi counter = manager.create("Counter");
            assertThat(manager.serverPid()).isNotEqualTo(ProcessHandle.current().pid());
            List<MpProcess> started = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                started.add(run(ctx, () -> {
                    for (int n = 0; n < 50; n++) {
                        counter.increment();
                    }
                }));
            }
            started.forEach(ManagerTest::joinedWithExitCodeZero);
            assertThat(counter.value()).isEqualTo(100);
            assertThat(manager.<CounterApi>create("Counter").value()).as("a new object").isZero();
            assertThatThrownBy(() -> manager.create("Nope")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("no type 'Nope'").hasMessageContaining("Counter");
        }
    }

    @Test
    void serverExceptionsArriveWithTheirTypeMessageAndTheRemoteStackTrace() {
        try (SyncManager manager = SyncManager.builder().register("Counter", Counter::new, CounterApi.class)
                .start(Multiprocess.getContext())) {
            List<String> list = manager.list(List.of("only"));
            assertThatThrownBy(() -> list.get(5))
                    .isInstanceOf(IndexOutOfBoundsException.class)
                    .hasMessageContaining("5")
                    .cause().isInstanceOf(RemoteException.class)
                    .hasMessageContaining("raised in the manager server")
                    .hasMessageContaining("in process " + manager.serverPid());
            try {
                list.get(5);
            } catch (IndexOutOfBoundsException e) {
                RemoteException remote = (RemoteException) e.getCause();
                assertThat(remote.getRemoteType()).isEqualTo(IndexOutOfBoundsException.class.getName());
                assertThat(remote.getRemoteStackTrace()).contains("ArrayList").contains("ManagerServer.dispatch");
                assertThat(e.getStackTrace()[0].getClassName()).as("the local trace is the caller's")
                        .doesNotContain("ManagerServer");
            }
            CounterApi counter = manager.create("Counter");
            assertThatThrownBy(() -> counter.failWith("no more counting"))
                    .isInstanceOf(IllegalStateException.class).hasMessage("no more counting")
                    .cause().isInstanceOf(RemoteException.class)
                    .hasMessageContaining("Counter.failWith");
            assertThatThrownBy(counter::checked).isInstanceOf(IOException.class).hasMessage("disk on fire");
        }
    }

    @Test
    void aQueueInTheManagerCarriesItemsBetweenProcesses() throws Exception {
        BaseContext ctx = Multiprocess.getContext();
        try (SyncManager manager = ctx.manager()) {
            BlockingQueue<String> jobs = manager.queue();
            BlockingQueue<String> results = manager.queue(1);
            MpProcess child = run(ctx, () -> {
                String job;
                while (!(job = jobs.take()).equals("stop")) {
                    results.put(job.toUpperCase());
                }
            });
            jobs.put("a");
            jobs.put("b");
            assertThat(results.poll(60, TimeUnit.SECONDS)).isEqualTo("A");
            assertThat(results.poll(60, TimeUnit.SECONDS)).isEqualTo("B");
            jobs.put("stop");
            joinedWithExitCodeZero(child);
            assertThat(results.poll(10, TimeUnit.MILLISECONDS)).isNull();
            jobs.addAll(List.of("x", "y"));
            List<String> drained = new ArrayList<>();
            assertThat(jobs.drainTo(drained)).isEqualTo(2);
            assertThat(drained).containsExactly("x", "y");
        }
    }

    @Test
    void aManagerOnTcpIsUsedFromASecondJvmThatConnectsWithTheKey() {
        byte[] key = "manager key".getBytes(StandardCharsets.UTF_8);
        CounterApi shared = new Counter();
        Map<String, Object> sharedMap = java.util.Collections.synchronizedMap(new LinkedHashMap<>());
        try (SyncManager manager = SyncManager.builder()
                .register("shared counter", () -> shared, CounterApi.class)
                .register("shared map", () -> sharedMap, Map.class)
                .address(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .authkey(key)
                .startInProcess(Multiprocess.getContext())) {
            SocketAddress address = manager.address();
            assertThat(address).isInstanceOf(InetSocketAddress.class);
            MpProcess child = run(Multiprocess.getContext(), () -> {
                try (SyncManager remote = SyncManager.builder().address(address).authkey(key).connect()) {
                    CounterApi counter = remote.create("shared counter");
                    for (int n = 0; n < 10; n++) {
                        counter.increment();
                    }
                    Map<String, Object> map = remote.create("shared map");
                    List<String> list = remote.list();
                    list.add("made remotely");
                    map.put("list", list);
                    map.put("pid", ProcessHandle.current().pid());
                }
            });
            joinedWithExitCodeZero(child);
            assertThat(shared.value()).isEqualTo(10);
            assertThat(sharedMap).containsEntry("pid", child.pid());
            @SuppressWarnings("unchecked")
            List<String> list = (List<String>) sharedMap.get("list");
            assertThat(list).containsExactly("made remotely");
        }
    }

    @Test
    void aProxyOfAManagerWithItsOwnKeyWorksInAChildThatWasNotGivenTheKey() {
        byte[] key = "another key".getBytes(StandardCharsets.UTF_8);
        try (SyncManager manager = SyncManager.builder()
                .address(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).authkey(key)
                .start(Multiprocess.getContext())) {
            Map<String, Long> map = manager.dict();
            MpProcess child = run(Multiprocess.getContext(), () -> map.put("child", ProcessHandle.current().pid()));
            joinedWithExitCodeZero(child);
            assertThat(map).containsEntry("child", child.pid());
        }
    }

    @Test
    void aWrongAuthkeyIsRefused() {
        byte[] key = "right".getBytes(StandardCharsets.UTF_8);
        try (SyncManager manager = SyncManager.builder()
                .address(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).authkey(key)
                .startInProcess(Multiprocess.getContext())) {
            assertThatThrownBy(() -> SyncManager.builder().address(manager.address())
                    .authkey("wrong".getBytes(StandardCharsets.UTF_8)).connect())
                    .isInstanceOf(AuthenticationException.class)
                    .hasMessageContaining("refused");
            assertThatThrownBy(() -> SyncManager.builder().address(manager.address()).connect())
                    .as("this process's own authkey is not the manager's").isInstanceOf(AuthenticationException.class);
            try (SyncManager right = SyncManager.builder().address(manager.address()).authkey(key).connect()) {
                assertThat(right.list(List.of(1))).containsExactly(1);
            }
        }
    }

    @Test
    void shutdownEndsTheServerProcessAndProxiesThenFailWithAClearMessage() {
        SyncManager manager = Multiprocess.getContext().manager();
        Map<String, String> map = manager.dict();
        map.put("k", "v");
        long serverPid = manager.process().orElseThrow().pid();
        MpProcess server = Multiprocess.activeChildren().stream().filter(child -> child.pid() == serverPid)
                .findFirst().orElseThrow();
        assertThat(server.isAlive()).isTrue();
        manager.shutdown();
        assertThat(server.isAlive()).isFalse();
        assertThat(server.exitCode()).isZero();
        assertThatThrownBy(() -> map.get("k")).isInstanceOf(MultiprocessException.class)
                .hasMessageContaining("not running");
        assertThat(map.toString()).contains("unavailable");
        manager.shutdown();
    }

    @Test
    void proxiesWorkWithTheJavaReducer() {
        BaseContext ctx = contexts.create("spawn");
        ctx.setReducer("java");
        try (SyncManager manager = ctx.manager()) {
            List<Map<String, Integer>> outer = manager.list();
            outer.add(manager.dict());
            MpProcess child = run(ctx, () -> outer.get(0).put("java", 1));
            joinedWithExitCodeZero(child);
            assertThat(outer.get(0)).containsEntry("java", 1);
        }
    }

    @Test
    void aFunctionThatCannotTravelToTheServerFailsWithAMessageSayingSo() {
        try (SyncManager manager = Multiprocess.getContext().manager()) {
            Map<String, Integer> counts = manager.dict();
            assertThatThrownBy(() -> counts.merge("hits", 1, Integer::sum))
                    .isInstanceOf(io.multiprocess.reduction.ReductionException.class)
                    .hasMessageContaining("runs its function in the manager server")
                    .hasMessageContaining("Serializable");
            assertThat(counts).isEmpty();
        }
    }

    @Test
    void proxiesWorkWithTheJacksonReducer() {
        BaseContext ctx = contexts.create("spawn");
        ctx.setReducer("jackson");
        try (SyncManager manager = ctx.manager()) {
            List<Map<String, Integer>> outer = manager.list();
            outer.add(manager.dict());
            MpProcess child = run(ctx, () -> outer.get(0).put("jackson", 1));
            joinedWithExitCodeZero(child);
            assertThat(outer.get(0)).containsEntry("jackson", 1);
        }
    }

    /** Not serializable: a factory capturing one cannot travel to the server's process under reducer 'java'. */
    static final class Unsendable {
    }

    @Test
    void aFactoryThatCannotTravelToTheServerProcessFailsTheStartAndLeavesNoProcess() {
        BaseContext ctx = contexts.create("spawn");
        ctx.setReducer("java");
        Unsendable unsendable = new Unsendable();
        ManagerBuilder builder = SyncManager.builder().register("Counter", () -> {
            unsendable.hashCode();
            return new Counter();
        }, CounterApi.class);
        assertThatThrownBy(() -> builder.start(ctx))
                .isInstanceOf(io.multiprocess.reduction.ReductionException.class)
                .hasMessageContaining("Unsendable");
    }

    @Test
    void aJoinableQueueIsJoinedOnceChildrenMarkedEveryItemDone() throws Exception {
        BaseContext ctx = Multiprocess.getContext();
        try (SyncManager manager = ctx.manager()) {
            JoinableQueueProxy<Integer> work = manager.joinableQueue();
            List<Integer> done = manager.list();
            for (int i = 0; i < 2; i++) {
                MpProcess consumer = run(ctx, () -> {
                    int item;
                    while ((item = work.take()) >= 0) {
                        done.add(item * item);
                        work.taskDone();
                    }
                    work.taskDone();
                });
                assertThat(consumer.isAlive()).isTrue();
            }
            for (int i = 1; i <= 10; i++) {
                work.put(i);
            }
            assertThat(work.join(PATIENCE)).isTrue();
            assertThat(done).hasSize(10).contains(1, 100);
            work.add(-1);
            work.add(-1);
            work.join();
            children.forEach(ManagerTest::joinedWithExitCodeZero);
            assertThatThrownBy(work::taskDone).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("more times than items were put");
        }
    }

    @Test
    void anArrayHasAFixedSizeAndAType() {
        BaseContext ctx = Multiprocess.getContext();
        try (SyncManager manager = ctx.manager()) {
            List<Double> samples = manager.array(Double.class, 3);
            List<Integer> initial = manager.array(Integer.class, List.of(1, 2));
            assertThat(samples).containsExactly(0.0, 0.0, 0.0);
            MpProcess child = run(ctx, () -> {
                samples.set(1, 2.5);
                initial.set(0, initial.get(0) + initial.get(1));
            });
            joinedWithExitCodeZero(child);
            assertThat(samples).containsExactly(0.0, 2.5, 0.0);
            assertThat(initial).containsExactly(3, 2);
            assertThatThrownBy(() -> samples.add(1.0)).isInstanceOf(UnsupportedOperationException.class);
            @SuppressWarnings({"unchecked", "rawtypes"})
            List<Object> untyped = (List) samples;
            assertThatThrownBy(() -> untyped.set(0, "text")).isInstanceOf(ArrayStoreException.class);

            // The element types of shared arrays name a manager's too, and start at the same zero.
            List<Character> letters = manager.array(CType.CHAR, 2);
            List<Boolean> flags = manager.array(CType.BOOLEAN, 1);
            List<Short> shorts = manager.array(CType.SHORT, List.of((short) 7));
            assertThat(letters).containsExactly('\0', '\0');
            assertThat(flags).containsExactly(false);
            assertThat(shorts).containsExactly((short) 7);
            List<String> names = manager.array(String.class, 2);
            assertThat(names.get(1)).as("not a primitive's box: null, as Python's None").isNull();
        }
    }
}
