package io.multiprocess.queues;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.multiprocess.BaseContext;
import io.multiprocess.MpProcess;
import io.multiprocess.Multiprocess;
import io.multiprocess.ProcessPool;
import io.multiprocess.errors.MultiprocessException;
import io.multiprocess.reduction.ReductionException;
import io.multiprocess.testing.FreshContexts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** MpQueue, JoinableQueue and SimpleQueue, within one process and across real child JVMs. */
class MpQueueTest {

    private static final Duration LONG = Duration.ofSeconds(30);

    @RegisterExtension
    final FreshContexts contexts = new FreshContexts();

    private final BaseContext ctx = Multiprocess.getContext("forkserver");

    record Item(int producer, int sequence) {
    }

    @Test
    void itemsComeOutInTheOrderTheyWentIn() {
        MpQueue<String> queue = ctx.queue();
        queue.put("a");
        queue.put("b");
        queue.put("");

        assertThat(queue.qsize()).isEqualTo(3);
        assertThat(queue.empty()).isFalse();
        assertThat(List.of(queue.get(), queue.get(), queue.get())).containsExactly("a", "b", "");
        assertThat(queue.empty()).isTrue();
        assertThat(queue.full()).isFalse();
    }

    @Test
    void emptyAndFullAreReportedAsExceptionsOrAsOptionalAndBoolean() {
        MpQueue<Integer> queue = ctx.queue(2);
        queue.put(1);
        queue.putNowait(2);

        assertThat(queue.full()).isTrue();
        assertThat(queue.offer(3)).isFalse();
        assertThatThrownBy(() -> queue.putNowait(3)).isInstanceOf(QueueFullException.class)
                .hasMessageContaining("maxsize 2");
        assertThat(queue.getNowait()).isEqualTo(1);
        assertThat(queue.poll()).contains(2);
        assertThat(queue.poll()).isEmpty();
        assertThatThrownBy(queue::getNowait).isInstanceOf(QueueEmptyException.class);
    }

    @Test
    void emptyAndFullTimeoutsReturnOnTime() {
        MpQueue<Integer> queue = ctx.queue(1);
        queue.put(1);

        long start = System.nanoTime();
        assertThatThrownBy(() -> queue.put(2, Duration.ofMillis(300))).isInstanceOf(QueueFullException.class);
        long fullWait = System.nanoTime() - start;
        queue.get();
        start = System.nanoTime();
        assertThatThrownBy(() -> queue.get(Duration.ofMillis(300))).isInstanceOf(QueueEmptyException.class)
                .hasMessageContaining("PT0.3S");
        long emptyWait = System.nanoTime() - start;
        start = System.nanoTime();
        Optional<Integer> none = queue.poll(Duration.ofMillis(200));
        long pollWait = System.nanoTime() - start;

        assertThat(none).isEmpty();
        assertThat(Duration.ofNanos(fullWait)).isBetween(Duration.ofMillis(290), Duration.ofSeconds(10));
        assertThat(Duration.ofNanos(emptyWait)).isBetween(Duration.ofMillis(290), Duration.ofSeconds(10));
        assertThat(Duration.ofNanos(pollWait)).isBetween(Duration.ofMillis(190), Duration.ofSeconds(10));
    }

    @Test
    void aFullQueueTakesAWaitingPutWhenAnItemLeaves() throws Exception {
        MpQueue<Integer> queue = ctx.queue(1);
        queue.put(1);
        Thread putter = new Thread(() -> queue.put(2));
        putter.start();
        while (putter.getState() != Thread.State.WAITING) {
            Thread.sleep(5);
        }

        assertThat(queue.get()).isEqualTo(1);
        putter.join(LONG.toMillis());
        assertThat(queue.get(LONG)).isEqualTo(2);
    }

    @Test
    void anItemThatCannotBeReducedFailsItsPutAndNothingElseIsLost() {
        ctx.setReducer("java");
        try {
            MpQueue<Object> queue = ctx.queue();
            queue.put("before");
            assertThatThrownBy(() -> queue.put(new Object())).isInstanceOf(ReductionException.class)
                    .hasMessageContaining("java.lang.Object");
            queue.put("after");

            assertThat(List.of(queue.get(), queue.get())).containsExactly("before", "after");
            assertThat(queue.empty()).isTrue();
        } finally {
            ctx.setReducer("kryo");
        }
    }

    @Test
    void aClosedHandleRefusesPutAndGetAndNullIsNotAnItem() {
        MpQueue<String> queue = ctx.queue();
        assertThatThrownBy(() -> queue.put(null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("null");
        queue.put("kept");
        queue.close();

        assertThat(queue.isClosed()).isTrue();
        assertThatThrownBy(() -> queue.put("x")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
        assertThatThrownBy(queue::get).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThatThrownBy(() -> ctx.queue(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void closingOneHandleLeavesTheOthersOpen() {
        JoinableQueue<String> queue = ctx.joinableQueue(5);
        JoinableQueue<String> other = queue.newHandle();
        other.put("from the other handle");
        other.close();

        assertThat(queue.isClosed()).isFalse();
        assertThat(queue.get()).isEqualTo("from the other handle");
        queue.taskDone();
        assertThat(queue.join(java.time.Duration.ofSeconds(5))).isTrue();
        assertThat(queue.newHandle().maxsize()).isEqualTo(5);
        assertThatThrownBy(() -> other.put("x")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void childrenPutAndGetThroughTheParentsQueue() {
        MpQueue<Integer> requests = ctx.queue();
        MpQueue<String> replies = ctx.queue();
        MpProcess child = ctx.process(() -> {
            int n;
            while ((n = requests.get()) >= 0) {
                replies.put(n + "^2=" + n * n + " from " + ProcessHandle.current().pid());
            }
        });
        child.start();
        requests.put(3);
        requests.put(4);
        requests.put(-1);

        assertThat(replies.get(LONG)).isEqualTo("3^2=9 from " + child.pid());
        assertThat(replies.get(LONG)).isEqualTo("4^2=16 from " + child.pid());
        child.join();
        assertThat(child.exitCode()).isZero();
    }

    @Test
    void tenThousandItemsFromTwoProducersReachAConsumerProcessOnceAndInEachProducersOrder() {
        int perProducer = 5_000;
        MpQueue<Item> items = ctx.queue(500);
        MpQueue<String> verdict = ctx.queue();
        List<MpProcess> producers = new ArrayList<>();
        for (int p = 0; p < 2; p++) {
            int producer = p;
            producers.add(ctx.process(() -> {
                for (int i = 0; i < perProducer; i++) {
                    items.put(new Item(producer, i));
                }
            }));
        }
        MpProcess consumer = ctx.process(() -> {
            Map<Integer, Integer> next = new HashMap<>(Map.of(0, 0, 1, 0));
            for (int i = 0; i < 2 * perProducer; i++) {
                Item item = items.get(LONG);
                int expected = next.get(item.producer());
                if (item.sequence() != expected) {
                    verdict.put("producer " + item.producer() + " sent " + item.sequence() + " where "
                            + expected + " was due");
                    return;
                }
                next.put(item.producer(), expected + 1);
            }
            verdict.put("all " + next);
        });
        consumer.start();
        producers.forEach(MpProcess::start);

        assertThat(verdict.get(Duration.ofSeconds(60))).isEqualTo("all {0=" + perProducer + ", 1=" + perProducer + "}");
        producers.forEach(MpProcess::join);
        consumer.join();
        assertThat(items.empty()).isTrue();
    }

    @Test
    void manyThreadsInSeveralProcessesPutAndGetThroughABoundedQueueWithoutLossOrDuplicates() throws Exception {
        int producers = 2;
        int threadsEach = 4;
        int perThread = 500;
        MpQueue<Integer> items = ctx.queue(50);
        List<MpProcess> children = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            int base = p * threadsEach * perThread;
            children.add(ctx.process(() -> {
                List<Thread> threads = new ArrayList<>();
                for (int t = 0; t < threadsEach; t++) {
                    int from = base + t * perThread;
                    Thread thread = new Thread(() -> {
                        for (int i = 0; i < perThread; i++) {
                            items.put(from + i);
                        }
                    });
                    thread.start();
                    threads.add(thread);
                }
                for (Thread thread : threads) {
                    thread.join();
                }
            }));
        }
        children.forEach(MpProcess::start);
        int total = producers * threadsEach * perThread;
        java.util.concurrent.ConcurrentHashMap<Integer, Integer> seen = new java.util.concurrent.ConcurrentHashMap<>();
        java.util.concurrent.atomic.AtomicInteger taken = new java.util.concurrent.atomic.AtomicInteger();
        List<Thread> consumers = new ArrayList<>();
        for (int c = 0; c < 3; c++) {
            Thread consumer = new Thread(() -> {
                while (taken.get() < total) {
                    items.poll(Duration.ofMillis(200)).ifPresent(item -> {
                        seen.merge(item, 1, Integer::sum);
                        taken.incrementAndGet();
                    });
                }
            });
            consumer.start();
            consumers.add(consumer);
        }
        for (Thread consumer : consumers) {
            consumer.join(Duration.ofSeconds(60).toMillis());
        }
        children.forEach(MpProcess::join);

        assertThat(taken.get()).isEqualTo(total);
        assertThat(seen).hasSize(total);
        assertThat(seen.values()).allMatch(count -> count == 1);
        assertThat(items.empty()).isTrue();
    }

    @Test
    void aQueueTravelsInsideAnotherQueue() {
        MpQueue<MpQueue<String>> mailboxes = ctx.queue();
        MpProcess child = ctx.process(() -> mailboxes.get().put("hello through a queue that came by queue"));
        child.start();
        MpQueue<String> reply = ctx.queue();
        mailboxes.put(reply);

        assertThat(reply.get(LONG)).isEqualTo("hello through a queue that came by queue");
        child.join();
    }

    @Test
    void anItemHandedToAConsumerThatIsKilledIsNotLost() throws Exception {
        MpQueue<String> queue = ctx.queue();
        MpQueue<String> ready = ctx.queue();
        MpProcess consumer = ctx.process(() -> {
            ready.put("waiting");
            queue.get();
            System.exit(3);
        });
        consumer.start();
        ready.get(LONG);
        Thread.sleep(200);
        consumer.kill();
        consumer.join();
        queue.put("precious");

        assertThat(queue.get(LONG)).isEqualTo("precious");
        assertThat(consumer.exitCode()).isEqualTo(-9);
    }

    @Test
    void joinableQueueWaitsUntilEveryItemIsDone() {
        JoinableQueue<Integer> work = ctx.joinableQueue();
        MpQueue<Integer> results = ctx.queue();
        MpProcess consumer = ctx.process(() -> {
            while (true) {
                int n = work.get();
                results.put(n * 10);
                work.taskDone();
            }
        });
        consumer.setDaemon(true);
        consumer.start();
        for (int i = 1; i <= 5; i++) {
            work.put(i);
        }

        assertThat(work.join(LONG)).isTrue();
        List<Integer> done = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            done.add(results.getNowait());
        }
        assertThat(done).containsExactly(10, 20, 30, 40, 50);
        consumer.terminate();
        consumer.join();
    }

    @Test
    void tooManyTaskDoneCallsAreAnErrorAndJoinTimesOut() {
        JoinableQueue<String> queue = ctx.joinableQueue();
        queue.put("one");
        queue.get();

        assertThat(queue.join(Duration.ofMillis(100))).isFalse();
        queue.taskDone();
        assertThat(queue.join(Duration.ZERO)).isTrue();
        assertThatThrownBy(queue::taskDone).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("more times");
    }

    @Test
    void tooManyTaskDoneCallsFromAChildAreAnErrorThere() {
        JoinableQueue<String> queue = ctx.joinableQueue();
        MpQueue<String> outcome = ctx.queue();
        MpProcess child = ctx.process(() -> {
            try {
                queue.taskDone();
                outcome.put("accepted");
            } catch (IllegalStateException e) {
                outcome.put("refused: " + e.getMessage());
            }
        });
        child.start();

        assertThat(outcome.get(LONG)).startsWith("refused: ").contains("more times");
        child.join();
    }

    @Test
    void simpleQueueCrossesProcesses() {
        SimpleQueue<String> queue = ctx.simpleQueue();
        MpProcess child = ctx.process(() -> queue.put("simple from " + ProcessHandle.current().pid()));
        child.start();

        assertThat(queue.get()).isEqualTo("simple from " + child.pid());
        assertThat(queue.empty()).isTrue();
        child.join();
        queue.close();
        assertThatThrownBy(queue::get).isInstanceOf(IllegalStateException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"kryo", "java", "jackson"})
    void aQueueCapturedByAChildTravelsWithEveryReducer(String reducer) {
        BaseContext context = contexts.forkServer();
        context.setReducer(reducer);
        MpQueue<String> queue = context.queue();
        MpProcess child = context.process(() -> queue.put("from " + ProcessHandle.current().pid()));
        child.start();

        assertThat(queue.get(LONG)).isEqualTo("from " + child.pid());
        child.join();
        assertThat(child.exitCode()).isZero();
    }

    @Test
    void aQueueWhoseCreatorExitedFailsSayingSo() {
        MpQueue<MpQueue<String>> handOver = ctx.queue();
        MpProcess creator = ctx.process(() -> {
            MpQueue<String> own = Multiprocess.getContext().queue();
            own.put("made by a child");
            handOver.put(own);
        });
        creator.start();
        MpQueue<String> orphan = handOver.get(LONG);
        creator.join();

        assertThatThrownBy(orphan::get).isInstanceOf(MultiprocessException.class)
                .hasMessageContaining("process " + creator.pid()).hasMessageContaining("exited");
    }

    @Test
    void anInterruptedGetOrPutThrowsKeepsTheFlagAndLosesNothingHereAndInAChild() throws Exception {
        MpQueue<String> local = ctx.queue(1);
        assertThat(interrupted(local::get)).startsWith("interrupted ").endsWith("flag=true");
        local.put("only");
        assertThat(interrupted(() -> local.put("no room"))).startsWith("interrupted ").endsWith("flag=true");
        assertThat(local.get()).isEqualTo("only");
        assertThat(local.empty()).isTrue();

        MpQueue<String> remote = ctx.queue(1);
        MpQueue<String> report = ctx.queue();
        MpProcess child = ctx.process(() -> {
            report.put(interrupted(remote::get));
            remote.put("first");
            report.put(interrupted(() -> remote.put("no room")));
            report.put("size " + remote.qsize());
        });
        child.start();

        assertThat(report.get(LONG)).startsWith("interrupted ").endsWith("flag=true");
        assertThat(report.get(LONG)).startsWith("interrupted ").endsWith("flag=true");
        assertThat(report.get(LONG)).isEqualTo("size 1");
        assertThat(remote.get()).isEqualTo("first");
        assertThat(remote.poll()).isEmpty();
        child.join();
    }

    /** Runs {@code blocking} on a thread, interrupts it once it waits, and describes how it ended. */
    private static String interrupted(Runnable blocking) throws InterruptedException {
        String[] outcome = new String[1];
        Thread thread = new Thread(() -> {
            try {
                blocking.run();
                outcome[0] = "returned";
            } catch (MultiprocessException e) {
                outcome[0] = e.getMessage() + " flag=" + Thread.currentThread().isInterrupted();
            }
        });
        thread.start();
        while (thread.getState() != Thread.State.WAITING && thread.isAlive()) {
            Thread.sleep(5);
        }
        thread.interrupt();
        thread.join(LONG.toMillis());
        return outcome[0];
    }

    @Test
    void queuesWorkInsidePoolTasks() {
        MpQueue<Long> pids = ctx.queue();
        try (ProcessPool pool = ctx.pool(2)) {
            pool.map(i -> {
                pids.put(ProcessHandle.current().pid());
                return i;
            }, List.of(1, 2, 3, 4), 1);
        }
        List<Long> seen = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            seen.add(pids.get(LONG));
        }

        assertThat(seen).doesNotContain(ProcessHandle.current().pid()).hasSize(4);
    }
}
