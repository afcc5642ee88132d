package io.multiprocess.bench.reliability;

import io.multiprocess.BaseContext;
import io.multiprocess.MpProcess;
import io.multiprocess.Multiprocess;
import io.multiprocess.ProcessPool;
import io.multiprocess.ResultIterator;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/** Long runs that would show a leak: a million imap tasks, a thousand process start/join cycles. */
final class SoakScenarios {

    /** Heap (after a GC) and RSS the second half of a soak may add over the first: more would be a leak. */
    private static final long HEAP_GROWTH_BYTES = 16L << 20;
    private static final long RSS_GROWTH_KIB = 64 * 1024;

    private SoakScenarios() {
    }

    static List<Scenario> all() {
        return List.of(
                new Scenario("soak-imap", "Soak: a long imap of tiny tasks",
                        "every result right and in order; the parent's heap after GC and its RSS flat from the "
                                + "middle to the end (at most +16 MiB and +64 MiB)", SoakScenarios::soakImap),
                new Scenario("soak-process", "Soak: process start/join cycles",
                        "every process exits 0; the parent's threads and open file descriptors are back where they "
                                + "were (at most +2 each)", SoakScenarios::soakProcess));
    }

    static long heapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Os.sleep(50);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    static Scenario.Result soakImap(Size size, Scenario.Settings settings) {
        int tasks = size.pick(20_000, 1_000_000);
        long self = ProcessHandle.current().pid();
        long[] heap = new long[3];
        long[] rss = new long[3];
        long wrong = 0;
        long received = 0;
        long started;
        double seconds;
        try (ProcessPool pool = Multiprocess.getContext().pool(2)) {
            pool.apply(() -> 0);
            heap[0] = heapAfterGc();
            rss[0] = Os.rssKib(self);
            Iterable<Integer> input = () -> new Iterator<>() {
                private int next;

                @Override
                public boolean hasNext() {
                    return next < tasks;
                }

                @Override
                public Integer next() {
                    return next++;
                }
            };
            started = System.nanoTime();
            ResultIterator<Integer> results = pool.imap((Integer x) -> x + 1, input);
            while (results.hasNext()) {
                int value = results.next(Duration.ofSeconds(60));
                if (value != received + 1) {
                    wrong++;
                }
                received++;
                if (received == tasks / 2) {
                    heap[1] = heapAfterGc();
                    rss[1] = Os.rssKib(self);
                }
            }
            seconds = (System.nanoTime() - started) / 1e9;
            heap[2] = heapAfterGc();
            rss[2] = Os.rssKib(self);
        }
        boolean held = received == tasks && wrong == 0 && heap[2] - heap[1] <= HEAP_GROWTH_BYTES
                && rss[2] - rss[1] <= RSS_GROWTH_KIB;
        String figure = String.format(Locale.ROOT, "%,d results, %d wrong, in %.0f s (%,.0f tasks/s); heap after GC "
                + "%s → %s → %s; RSS %s → %s → %s (start → middle → end)", received, wrong, seconds,
                received / seconds, Os.mib(heap[0] / 1024), Os.mib(heap[1] / 1024), Os.mib(heap[2] / 1024),
                Os.mib(rss[0]), Os.mib(rss[1]), Os.mib(rss[2]));
        return new Scenario.Result(String.format(Locale.ROOT, "pool(2).imap(x -> x + 1) over %,d items, chunksize "
                + "1, one consumer", tasks), figure, held);
    }

    static Scenario.Result soakProcess(Size size, Scenario.Settings settings) throws Exception {
        int cycles = size.pick(10, 1_000);
        BaseContext context = Multiprocess.getContext();
        long self = ProcessHandle.current().pid();
        // A few cycles first: the first start creates the control server, the runtime directory and the spares,
        // which stay by design and are not a leak.
        for (int i = 0; i < 3; i++) {
            cycle(context);
        }
        Os.sleep(500);
        long threadsBefore = Os.threads(self);
        long filesBefore = Os.openFiles(self);
        int bad = 0;
        long started = System.nanoTime();
        for (int i = 0; i < cycles; i++) {
            bad += cycle(context) == 0 ? 0 : 1;
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        Os.sleep(500);
        long threadsAfter = Os.threads(self);
        long filesAfter = Os.openFiles(self);
        boolean held = bad == 0 && threadsAfter <= threadsBefore + 2 && filesAfter <= filesBefore + 2;
        String figure = String.format(Locale.ROOT, "%d of %d exited other than 0; %.0f ms per cycle; threads %d → "
                + "%d, open file descriptors %d → %d", bad, cycles, seconds * 1000 / cycles, threadsBefore,
                threadsAfter, filesBefore, filesAfter);
        return new Scenario.Result(String.format(Locale.ROOT, "%,d cycles of process(() -> {}).start(), join() on the "
                + "default (forkserver) context", cycles), figure, held);
    }

    private static int cycle(BaseContext context) {
        MpProcess process = context.process(() -> { });
        process.start();
        if (!process.join(Duration.ofSeconds(60))) {
            process.kill();
            return -1;
        }
        Integer code = process.exitCode();
        process.close();
        return code == null ? -1 : code;
    }
}
