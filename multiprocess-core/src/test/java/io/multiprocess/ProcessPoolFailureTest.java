package io.multiprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.multiprocess.pool.PoolListener;
import io.multiprocess.pool.PoolOptions;
import io.multiprocess.pool.PoolSnapshot;
import io.multiprocess.pool.PoolState;
import io.multiprocess.pool.TaskOutcome;
import io.multiprocess.pool.TaskTimeoutException;
import io.multiprocess.pool.WorkerCrashedException;
import io.multiprocess.pool.WorkerExitCause;
import io.multiprocess.pool.WorkerState;
import io.multiprocess.sharedctypes.CType;
import io.multiprocess.sharedctypes.IntArray;
import io.multiprocess.testing.PidFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What no Python pool does: crashes, timeouts, cancellation and recycling never hang and fail only their task. */
class ProcessPoolFailureTest {

    @TempDir
    Path dir;

    @Test
    void sigkillOfABusyWorkerFailsItsTaskWithTheExitWhileAMapOnTheOtherWorkerCompletes() throws Exception {
        try (ProcessPool pool = Multiprocess.getContext().pool(2)) {
            String started = dir.resolve("started").toString();
            AsyncResult<String> victim = pool.applyAsync(() -> {
                System.err.println("victim task about to sleep");
                Files.writeString(Path.of(started), Long.toString(ProcessHandle.current().pid()));
                Thread.sleep(60_000);
                return "never";
            });
            long startedPid = PidFiles.awaitPid(Path.of(started));
            long victimPid = pool.snapshot().workers().stream().filter(worker -> worker.state() == WorkerState.BUSY)
                    .mapToLong(PoolSnapshot.Worker::pid).findFirst().orElseThrow();
            assertThat(victimPid).isEqualTo(startedPid);
            assertThat(pool.snapshot().runningTasks()).isEqualTo(1);
            AsyncResult<List<Integer>> map = pool.mapAsync(x -> {
                Thread.sleep(2);
                return x + 1;
            }, IntStream.range(0, 300).boxed().toList(), 10, null, null, null);

            ProcessHandle.of(victimPid).orElseThrow().destroyForcibly();

            assertThatThrownBy(() -> victim.get(Duration.ofSeconds(30)))
                    .isInstanceOfSatisfying(WorkerCrashedException.class, crash -> {
                        assertThat(crash.exitCode()).isEqualTo(-9);
                        assertThat(crash.workerPid()).isEqualTo(victimPid);
                        assertThat(crash.stderrTail()).contains("victim task about to sleep");
                    })
                    .hasMessageContaining("SIGKILL");
            assertThat(map.get(Duration.ofSeconds(60))).isEqualTo(IntStream.range(1, 301).boxed().toList());
            assertThat(pool.apply(() -> ProcessHandle.current().pid())).isNotEqualTo(victimPid);
            awaitWorkers(pool, 2);
        }
    }

    @Test
    void aWorkerThatDiesWithShortTasksHandedToItAheadFailsOnlyTheOneItRanAndTheOthersRunOnceElsewhere() {
        // Short tasks are handed to a busy worker ahead (Scheduler.PREFETCH): the crash must fail the task that was
        // running, run each task it held ahead exactly once on another worker, and lose none.
        IntArray runs = Multiprocess.getContext().rawArray(CType.INT, 400);
        try (ProcessPool pool = Multiprocess.getContext().pool(2)) {
            ResultIterator<Integer> results = pool.imap((Integer x) -> {
                runs.getAndAdd(x, 1);
                if (x == 300) {
                    Runtime.getRuntime().halt(7);
                }
                return x * 2;
            }, IntStream.range(0, 400).boxed().toList(), 1);
            List<Object> outcomes = new ArrayList<>();
            while (results.hasNext()) {
                try {
                    outcomes.add(results.next(Duration.ofSeconds(60)));
                } catch (WorkerCrashedException crash) {
                    outcomes.add(crash.exitCode());
                }
            }

            List<Object> expected = new ArrayList<>(IntStream.range(0, 400).map(x -> x * 2).boxed().toList());
            expected.set(300, 7);
            assertThat(outcomes).isEqualTo(expected);
            assertThat(runs.toArray()).as("times each task ran").containsOnly(1);
        }
    }

    @Test
    void cancellingAMapOfShortTasksKillsOnlyTheWorkersHoldingItsTasksAndNoQueuedOneRunsAfterwards()
            throws Exception {
        IntArray runs = Multiprocess.getContext().rawArray(CType.INT, 2000);
        try (ProcessPool pool = Multiprocess.getContext().pool(2)) {
            String started = dir.resolve("started").toString();
            AsyncResult<List<Integer>> map = pool.mapAsync((Integer x) -> {
                runs.getAndAdd(x, 1);
                if (x == 500) {
                    Files.writeString(Path.of(started), "500");
                    Thread.sleep(60_000);
                }
                return x;
            }, IntStream.range(0, 2000).boxed().toList(), 1, null, null, null);
            PidFiles.awaitPid(Path.of(started));

            assertThat(map.cancel(true)).isTrue();
            int[] before = runs.toArray();
            Thread.sleep(300);

            assertThatThrownBy(() -> map.get(Duration.ofSeconds(30))).isInstanceOf(CancellationException.class);
            assertThat(runs.toArray()).as("nothing ran after the cancel").isEqualTo(before);
            assertThat(IntStream.of(before).max().orElseThrow()).isEqualTo(1);
            assertThat(pool.map((Integer x) -> x + 1, List.of(1, 2, 3))).containsExactly(2, 3, 4);
        }
    }

    @Test
    void aSnapshotCountsTasksHeldAheadByAWorkerAsQueued() throws Exception {
        try (ProcessPool pool = Multiprocess.getContext().pool(1)) {
            String started = dir.resolve("started").toString();
            String release = dir.resolve("release").toString();
            AsyncResult<List<Integer>> map = pool.mapAsync((Integer x) -> {
                if (x == 50) {
                    Files.writeString(Path.of(started), "50");
                    while (!Files.exists(Path.of(release))) {
                        Thread.sleep(5);
                    }
                }
                return x;
            }, IntStream.range(0, 200).boxed().toList(), 1, null, null, null);
            PoolSnapshot snapshot;
            try {
                PidFiles.awaitPid(Path.of(started));
                // Results of the tasks before 50 may still be on their way to this JVM: until they are read, their
                // tasks count as held. Task 50 cannot end, so the count settles at 149.
                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                snapshot = pool.snapshot();
                while (snapshot.queuedTasks() != 149 && System.nanoTime() < deadline) {
                    Thread.sleep(5);
                    snapshot = pool.snapshot();
                }
            } finally {
                Files.writeString(Path.of(release), "go");
            }

            assertThat(snapshot.runningTasks()).isEqualTo(1);
            assertThat(snapshot.queuedTasks()).as("tasks 51-199, in the queue or held by the worker")
                    .isEqualTo(149);
            assertThat(map.get(Duration.ofSeconds(60))).isEqualTo(IntStream.range(0, 200).boxed().toList());
        }
    }

    @Test
    void systemExitInATaskFailsItAsACrashAndTheWorkerIsReplaced() {
        try (ProcessPool pool = Multiprocess.getContext().pool(1)) {
            assertThatThrownBy(() -> pool.apply(() -> {
                System.exit(3);
                return 0;
            })).isInstanceOfSatisfying(WorkerCrashedException.class, crash -> assertThat(crash.exitCode())
                    .isEqualTo(3)).hasMessageContaining("exit code 3");
            assertThat(pool.apply(() -> "replaced")).isEqualTo("replaced");
        }
    }

    @Test
    void aNativeCrashInATaskFailsItAsACrashAndTheWorkerIsReplaced() throws Exception {
        // The crash report and no core dump go to the temporary directory, not the working directory.
        PoolOptions options = PoolOptions.defaults().processes(1).jvmArguments(List.of(
                "-XX:ErrorFile=" + dir.resolve("hs_err_%p.log"), "-XX:-CreateCoredumpOnCrash"));
        try (ProcessPool pool = Multiprocess.getContext().pool(options)) {
            assertThatThrownBy(() -> pool.apply(ProcessPoolFailureTest::segfault))
                    .isInstanceOf(WorkerCrashedException.class)
                    .hasMessageContaining("without an orderly exit");
            assertThat(pool.apply(() -> "replaced")).isEqualTo("replaced");
        }
        try (var reports = Files.list(dir)) {
            assertThat(reports.map(path -> path.getFileName().toString())).anyMatch(name -> name.startsWith("hs_err"));
        }
    }

    /**
     * Writes to address 0 through Unsafe: the JVM catches the SIGSEGV, writes its crash report and ends without
     * running shutdown hooks (exit code 1 when core dumps are off, SIGABRT otherwise).
     */
    static Integer segfault() throws Exception {
        java.lang.reflect.Field field = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
        field.setAccessible(true);
        ((sun.misc.Unsafe) field.get(null)).putAddress(0, 0);
        return 0;
    }

    @Test
    void anOutOfMemoryErrorFailsTheTaskAndTheWorkerIsReplaced() {
        BaseContext smallHeap = new io.multiprocess.SpawnContext();
        smallHeap.setJvmArguments(List.of("-Xmx32m"));
        try (ProcessPool pool = smallHeap.pool(1)) {
            long before = pool.apply(() -> ProcessHandle.current().pid());
            assertThatThrownBy(() -> pool.apply(ProcessPoolFailureTest::exhaustHeap)).isInstanceOf(io.multiprocess.pool.TaskFailedException.class)
                    .cause().isInstanceOf(OutOfMemoryError.class);
            assertThat(pool.apply(() -> ProcessHandle.current().pid())).isNotEqualTo(before);
        }
        smallHeap.setJvmArguments(List.of("-Xmx32m", "-XX:+ExitOnOutOfMemoryError"));
        try (ProcessPool pool = smallHeap.pool(1)) {
            assertThatThrownBy(() -> pool.apply(ProcessPoolFailureTest::exhaustHeap)).isInstanceOfSatisfying(WorkerCrashedException.class, crash -> assertThat(crash.exitCode())
                    .isEqualTo(3));
            assertThat(pool.apply(() -> 1 + 1)).isEqualTo(2);
        }
    }

    @Test
    void aTaskPastItsTimeoutIsKilledAndAFreshWorkerServesTheNextTask() {
        try (ProcessPool pool = Multiprocess.getContext().pool(PoolOptions.defaults().processes(1)
                .taskTimeout(Duration.ofSeconds(20)))) {
            long firstPid = pool.apply(() -> ProcessHandle.current().pid());
            AsyncResult<String> overdue = pool.applyAsync(() -> {
                Thread.sleep(60_000);
                return "never";
            }, Duration.ofMillis(300));

            assertThatThrownBy(() -> overdue.get(Duration.ofSeconds(30))).isInstanceOf(TaskTimeoutException.class)
                    .hasMessageContaining("timeout");
            long nextPid = pool.apply(() -> ProcessHandle.current().pid());
            assertThat(nextPid).isNotEqualTo(firstPid);
            assertThat(ProcessHandle.of(firstPid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        }
    }

    @Test
    void thePoolDefaultTimeoutAppliesToMapChunks() {
        try (ProcessPool pool = Multiprocess.getContext().pool(PoolOptions.defaults().processes(2)
                .taskTimeout(Duration.ofSeconds(3)))) {
            assertThatThrownBy(() -> pool.map(x -> {
                if (x == 7) {
                    Thread.sleep(60_000);
                }
                return x;
            }, IntStream.range(0, 10).boxed().toList(), 1)).isInstanceOf(TaskTimeoutException.class);
            assertThat(pool.map(x -> x, List.of(1, 2, 3))).containsExactly(1, 2, 3);
        }
    }

    @Test
    void cancellingARunningTaskKillsItsWorkerAndAQueuedOneNeverRuns() throws Exception {
        try (ProcessPool pool = Multiprocess.getContext().pool(1)) {
            String started = dir.resolve("started").toString();
            String ranLater = dir.resolve("ran-later").toString();
            AsyncResult<Integer> running = pool.applyAsync(() -> {
                Files.writeString(Path.of(started), Long.toString(ProcessHandle.current().pid()));
                Thread.sleep(60_000);
                return 1;
            });
            AsyncResult<Integer> queued = pool.applyAsync(() -> {
                Files.writeString(Path.of(ranLater), "ran");
                return 2;
            });
            long runningPid = PidFiles.awaitPid(Path.of(started));

            assertThat(queued.cancel(false)).isTrue();
            assertThat(running.cancel(false)).as("a running task is not cancelled without killing").isFalse();
            assertThat(running.cancel(true)).isTrue();

            assertThat(running.isCancelled()).isTrue();
            assertThatThrownBy(running::get).isInstanceOf(CancellationException.class);
            assertThatThrownBy(queued::get).isInstanceOf(CancellationException.class);
            assertThat(pool.apply(() -> ProcessHandle.current().pid())).isNotEqualTo(runningPid);
            assertThat(Path.of(ranLater)).doesNotExist();
        }
    }

    @Test
    void maxTasksPerChildReplacesWorkers() {
        List<WorkerExitCause> exits = new CopyOnWriteArrayList<>();
        try (ProcessPool pool = Multiprocess.getContext().pool(PoolOptions.defaults().processes(1)
                .maxTasksPerChild(2))) {
            pool.addListener(new PoolListener() {
                @Override
                public void workerExited(long workerPid, WorkerExitCause cause, int exitCode) {
                    exits.add(cause);
                }
            });
            Set<Long> pids = new HashSet<>();
            for (int i = 0; i < 6; i++) {
                pids.add(pool.apply(() -> ProcessHandle.current().pid()));
            }

            assertThat(pids).hasSize(3);
        }
        assertThat(exits).contains(WorkerExitCause.RECYCLED);
    }

    @Test
    void aWorkerOverItsHeapLimitIsRecycled() {
        assertEachTaskGetsAFreshWorker(PoolOptions.defaults().processes(1).maxWorkerHeapBytes(1));
    }

    @Test
    void aWorkerOverItsResidentMemoryLimitIsRecycled() {
        assertEachTaskGetsAFreshWorker(PoolOptions.defaults().processes(1).maxWorkerRssBytes(1));
    }

    /** With a one-byte limit every worker is over it after its first task. */
    private static void assertEachTaskGetsAFreshWorker(PoolOptions options) {
        try (ProcessPool pool = Multiprocess.getContext().pool(options)) {
            long first = pool.apply(() -> ProcessHandle.current().pid());
            long second = pool.apply(() -> ProcessHandle.current().pid());

            assertThat(second).isNotEqualTo(first);
        }
    }

    @Test
    void afterTerminateNoWorkerIsAliveAndPendingWorkIsCancelled() {
        ProcessPool pool = Multiprocess.getContext().pool(2);
        List<Long> pids = pool.map(x -> ProcessHandle.current().pid(), List.of(1, 2, 3, 4), 1);
        AsyncResult<Integer> running = pool.applyAsync(() -> {
            Thread.sleep(60_000);
            return 1;
        });
        List<Long> workerPids = pool.snapshot().workers().stream().map(PoolSnapshot.Worker::pid).toList();

        pool.terminate();
        pool.join();

        assertThat(workerPids).allSatisfy(pid -> assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)
                .orElse(false)).isFalse());
        assertThat(pids).isNotEmpty();
        assertThatThrownBy(() -> running.get(Duration.ofSeconds(10))).isInstanceOf(CancellationException.class);
        assertThatThrownBy(() -> pool.apply(() -> 1)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Pool not running");
    }

    @Test
    void closeWaitsForQueuedWorkThenStopsWorkersAndRefusesMore() {
        ProcessPool pool = Multiprocess.getContext().pool(2);
        AsyncResult<List<Integer>> work = pool.mapAsync(x -> {
            Thread.sleep(20);
            return x;
        }, IntStream.range(0, 20).boxed().toList(), 1, null, null, null);
        assertThatThrownBy(pool::join).isInstanceOf(IllegalStateException.class).hasMessageContaining("close()");

        pool.close();

        assertThat(work.ready()).isTrue();
        assertThat(work.get()).hasSize(20);
        assertThat(pool.snapshot().workers()).isEmpty();
        assertThatThrownBy(() -> pool.applyAsync(() -> 1)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void workersThatDieAtStartBreakThePoolInsteadOfHanging() {
        BaseContext broken = new io.multiprocess.SpawnContext();
        try (ProcessPool pool = broken.pool(PoolOptions.defaults().processes(1).initializer(() -> System.exit(9)))) {
            assertThatThrownBy(() -> pool.apply(() -> 1)).isInstanceOf(WorkerCrashedException.class);
            awaitState(pool, PoolState.BROKEN);
            assertThatThrownBy(() -> pool.apply(() -> 1)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("could not start");
        }
    }

    @Test
    void listenersHearTasksAndWorkers() {
        List<String> events = new CopyOnWriteArrayList<>();
        try (ProcessPool pool = Multiprocess.getContext().pool(1)) {
            pool.addListener(new PoolListener() {
                @Override
                public void taskSubmitted(long taskId, int size) {
                    events.add("submitted " + size);
                }

                @Override
                public void taskStarted(long taskId, int size, long workerPid) {
                    events.add("started");
                }

                @Override
                public void taskFinished(long taskId, int size, TaskOutcome outcome, Duration duration) {
                    events.add(outcome + " " + !duration.isNegative());
                }
            });
            pool.apply(() -> 1);
            assertThatThrownBy(() -> pool.apply(() -> 1 / 0)).isInstanceOf(RuntimeException.class);
        }

        assertThat(events).containsExactly("submitted 1", "started", "SUCCESS true", "submitted 1", "started",
                "FAILURE true");
    }

    /** Allocates until the heap is gone. */
    static Integer exhaustHeap() {
        List<long[]> hog = new java.util.ArrayList<>();
        while (true) {
            hog.add(new long[1 << 20]);
        }
    }

    private static void awaitWorkers(ProcessPool pool, int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (pool.snapshot().workers().size() != count && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(pool.snapshot().workers()).hasSize(count);
    }

    private static void awaitState(ProcessPool pool, PoolState state) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (pool.snapshot().state() != state && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(pool.snapshot().state()).isEqualTo(state);
    }
}
