package io.multiprocess.managers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.multiprocess.BaseContext;
import io.multiprocess.MpProcess;
import io.multiprocess.Multiprocess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A pool living in a manager's server process, used through its proxy by the parent and by a child. */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class ManagerPoolTest {

    private static final Duration PATIENCE = Duration.ofSeconds(90);

    @Test
    void aChildMapsThroughThePoolProxyAndNoJvmIsLeftAfterShutdown() throws Exception {
        BaseContext ctx = Multiprocess.getContext();
        Set<Long> pids = new TreeSet<>();
        long serverPid;
        try (SyncManager manager = ctx.manager()) {
            serverPid = manager.serverPid();
            PoolProxy pool = manager.pool(2);
            assertThat(pool.processes()).isEqualTo(2);
            List<Object> out = manager.list();
            MpProcess child = ctx.process(() -> {
                out.add(pool.<Integer, Integer>map(x -> x * x, List.of(1, 2, 3, 4)));
                out.add(pool.apply(() -> ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L)));
            });
            child.start();
            assertThat(child.join(PATIENCE)).isTrue();
            assertThat(child.exitCode()).isZero();
            assertThat(out.get(0)).isEqualTo(List.of(1, 4, 9, 16));
            assertThat(out.get(1)).as("a worker's parent is the manager's process").isEqualTo(serverPid);

            long worker = pool.applyAsync(() -> ProcessHandle.current().pid()).get(PATIENCE.toSeconds(),
                    TimeUnit.SECONDS);
            assertThat(worker).isNotIn(serverPid, ProcessHandle.current().pid());
            List<Long> workers = pool.<Integer, Long>mapAsync(x -> ProcessHandle.current().pid(),
                    List.of(1, 2, 3, 4, 5, 6)).get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            pids.add(worker);
            pids.addAll(workers);
            assertThatThrownBy(() -> pool.apply(() -> {
                throw new IllegalStateException("boom in a worker");
            })).isInstanceOf(io.multiprocess.pool.TaskFailedException.class).hasMessageContaining("boom in a worker")
                    .hasCauseInstanceOf(RemoteException.class);
        }
        pids.add(serverPid);
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        List<Long> alive = new ArrayList<>(pids);
        while (!alive.isEmpty()) {
            alive.removeIf(pid -> ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true));
            assertThat(System.nanoTime()).as("the manager and its workers %s ended", alive).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    @Test
    void aDaemonicProcessStillMayNotHaveChildren() {
        BaseContext ctx = Multiprocess.getContext();
        try (SyncManager manager = ctx.manager()) {
            List<String> out = manager.list();
            MpProcess daemon = ctx.process(() -> {
                try {
                    Multiprocess.getContext().process(() -> { }).start();
                    out.add("started");
                } catch (IllegalStateException e) {
                    out.add(e.getMessage());
                }
            });
            daemon.setDaemon(true);
            daemon.start();
            assertThat(daemon.join(PATIENCE)).isTrue();
            assertThat(out).singleElement().asString().contains("daemonic processes are not allowed to have children");
        }
    }
}
