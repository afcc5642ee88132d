package io.multiprocess.bench.reliability;

import io.multiprocess.BaseContext;
import io.multiprocess.Diagnostics;
import io.multiprocess.Multiprocess;
import io.multiprocess.ProcessPool;
import io.multiprocess.ResultIterator;
import io.multiprocess.function.SerializableCallable;
import io.multiprocess.pool.PoolOptions;
import io.multiprocess.pool.TaskFailedException;
import io.multiprocess.pool.WorkerCrashedException;
import io.multiprocess.reduction.ReductionException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.Callable;

/**
 * What the caller gets for bad user input, how fast, and whether the pool still works afterwards: values that
 * cannot be sent, Errors, {@code System.exit}, floods of output, a failing input iterator, a bad JVM flag.
 */
final class BadInputScenarios {

    private static final Duration LONG = Duration.ofSeconds(120);

    private BadInputScenarios() {
    }

    static List<Scenario> all() {
        return List.of(
                new Scenario("bad-argument", "Unserializable argument",
                        "the call throws ReductionException at once, naming the reducer; nothing reaches a worker; "
                                + "the pool works after", BadInputScenarios::badArgument),
                new Scenario("bad-result", "Unserializable result",
                        "the call fails with TaskFailedException saying the result cannot be sent; the pool works "
                                + "after", BadInputScenarios::badResult),
                new Scenario("bad-exception", "Unserializable exception",
                        "the call fails with TaskFailedException carrying the exception's class and message; the "
                                + "pool works after", BadInputScenarios::badException),
                new Scenario("out-of-memory", "OutOfMemoryError in a task (worker -Xmx64m)",
                        "the call fails with TaskFailedException caused by OutOfMemoryError; the worker is replaced; "
                                + "the pool works after", BadInputScenarios::outOfMemory),
                new Scenario("stack-overflow", "StackOverflowError in a task",
                        "the call fails with TaskFailedException naming StackOverflowError; the pool works after",
                        BadInputScenarios::stackOverflow),
                new Scenario("deep-result", "A 100,000-deep result",
                        "the call fails with TaskFailedException naming StackOverflowError, every time (never a "
                                + "worker crash); the pool works after", BadInputScenarios::deepResult),
                new Scenario("system-exit", "System.exit(3) in a task, three times in a row, pool(1)",
                        "each call fails with WorkerCrashedException (exit 3) and its worker is replaced; the pool "
                                + "is never broken by it", BadInputScenarios::systemExit),
                new Scenario("big-output", "100 MB to stdout and 100 MB to stderr from a task",
                        "the result arrives, the pool works after, the parent's RSS grows by less than 64 MiB",
                        BadInputScenarios::bigOutput),
                new Scenario("throwing-iterator", "An imap input iterator that throws",
                        "the results before the failure arrive, then next() throws the iterator's exception; the "
                                + "pool works after", BadInputScenarios::throwingIterator),
                new Scenario("bad-jvm-flag", "A bad JVM flag for the workers (-XX:+NoSuchFlag)",
                        "the caller gets an error naming the flag within seconds, no hang; terminate() never throws "
                                + "and leaves no JVM; a pool without the flag works", BadInputScenarios::badJvmFlag));
    }

    /** What a call gave and how long it took. */
    record Outcome(Object value, Throwable error, double millis) {

        String describe() {
            String what = error == null ? "returned " + shorten(String.valueOf(value))
                    : "threw " + ReliabilityBench.describe(error) + cause();
            return String.format(Locale.ROOT, "%s after %.0f ms", what, millis);
        }

        private String cause() {
            Throwable cause = error.getCause();
            return cause == null || cause == error ? "" : " (cause " + cause.getClass().getSimpleName() + ")";
        }

        boolean threw(Class<? extends Throwable> type) {
            return type.isInstance(error);
        }

        boolean mentions(String text) {
            for (Throwable e = error; e != null; e = e.getCause() == e ? null : e.getCause()) {
                if (e.getClass().getName().contains(text) || String.valueOf(e.getMessage()).contains(text)) {
                    return true;
                }
            }
            return false;
        }
    }

    static Outcome attempt(Callable<?> call) {
        long before = System.nanoTime();
        try {
            Object value = call.call();
            return new Outcome(value, null, (System.nanoTime() - before) / 1e6);
        } catch (Throwable e) {
            return new Outcome(null, e, (System.nanoTime() - before) / 1e6);
        }
    }

    static String shorten(String text) {
        String line = ReliabilityBench.firstLine(text);
        return line.length() > 160 ? line.substring(0, 160) + "…" : line;
    }

    /** Whether a trivial task still comes back from {@code pool}, within a deadline. */
    static boolean works(ProcessPool pool) {
        try {
            return pool.applyAsync(() -> 41 + 1).get(LONG) == 42;
        } catch (RuntimeException e) {
            return false;
        }
    }

    static String works(boolean works) {
        return works ? "pool works after" : "pool does NOT work after";
    }

    static Scenario.Result badArgument(Size size, Scenario.Settings settings) {
        try (ProcessPool pool = Multiprocess.getContext().pool(1)) {
            pool.apply(() -> 0);
            Runnable notSerializable = () -> { };
            List<Object> items = List.of(1, notSerializable);
            Outcome outcome = attempt(() -> pool.map((Object item) -> item.hashCode(), items));
            boolean works = works(pool);
            return new Scenario.Result("pool(1).map over [1, a lambda that is not Serializable]",
                    outcome.describe() + "; " + works(works), outcome.threw(ReductionException.class) && works);
        }
    }

    static Scenario.Result badResult(Size size, Scenario.Settings settings) {
        try (ProcessPool pool = Multiprocess.getContext().pool(1)) {
            pool.apply(() -> 0);
            Outcome outcome = attempt(() -> pool.applyAsync(BadInputScenarios::notSerializableResult).get(LONG));
            boolean works = works(pool);
            return new Scenario.Result("pool(1).apply of a task returning a lambda that is not Serializable",
                    outcome.describe() + "; " + works(works), outcome.threw(TaskFailedException.class) && works);
        }
    }

    static Object notSerializableResult() {
        Runnable result = () -> { };
        return result;
    }

    /** An exception the reducer cannot send: one of its fields is a lambda that is not Serializable. */
    static final class UnsendableException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        @SuppressWarnings("serial")
        private final Runnable handler = () -> { };

        UnsendableException() {
            super("an exception with a field that cannot be sent");
        }

        Runnable handler() {
            return handler;
        }
    }

    static Object throwUnsendable() {
        throw new UnsendableException();
    }

    static Scenario.Result badException(Size size, Scenario.Settings settings) {
        try (ProcessPool pool = Multiprocess.getContext().pool(1)) {
            pool.apply(() -> 0);
            Outcome outcome = attempt(() -> pool.applyAsync(BadInputScenarios::throwUnsendable).get(LONG));
            boolean works = works(pool);
            boolean held = outcome.threw(TaskFailedException.class) && outcome.mentions("UnsendableException")
                    && works;
            return new Scenario.Result("pool(1).apply of a task throwing an exception with a non-Serializable "
                    + "field", outcome.describe() + "; " + works(works), held);
        }
    }

    static Object exhaustHeap() {
        List<byte[]> hog = new ArrayList<>();
        while (true) {
            hog.add(new byte[1 << 20]);
        }
    }

    static Scenario.Result outOfMemory(Size size, Scenario.Settings settings) {
        try (ProcessPool pool = Multiprocess.getContext().pool(PoolOptions.defaults().processes(1)
                .jvmArguments(List.of("-Xmx64m")))) {
            long before = pool.apply(() -> ProcessHandle.current().pid());
            Outcome outcome = attempt(() -> pool.applyAsync(BadInputScenarios::exhaustHeap).get(LONG));
            boolean works = works(pool);
            long after = pool.apply(() -> ProcessHandle.current().pid());
            boolean held = outcome.threw(TaskFailedException.class) && outcome.error().getCause()
                    instanceof OutOfMemoryError && works;
            return new Scenario.Result("pool(1) with -Xmx64m; a task allocating 1 MiB arrays until the heap is "
                    + "full", outcome.describe() + "; worker " + (after != before ? "replaced" : "kept") + "; "
                    + works(works), held);
        }
    }

    static int recurse(int depth) {
        return recurse(depth + 1) + 1;
    }

    static Scenario.Result stackOverflow(Size size, Scenario.Settings settings) {
        try (ProcessPool pool = Multiprocess.getContext().pool(1)) {
            pool.apply(() -> 0);
            Outcome outcome = attempt(() -> pool.applyAsync(() -> recurse(0)).get(LONG));
            boolean works = works(pool);
            boolean held = outcome.threw(TaskFailedException.class) && outcome.mentions("StackOverflowError")
                    && works;
            return new Scenario.Result("pool(1).apply of an endless recursion", outcome.describe() + "; "
                    + works(works), held);
        }
    }

    /** A linked list 100,000 nodes deep, which a recursive serializer cannot walk on a default stack. */
    static Object[] deepList() {
        Object[] head = new Object[1];
        for (int i = 0; i < 100_000; i++) {
            head = new Object[] {head};
        }
        return head;
    }

    static Scenario.Result deepResult(Size size, Scenario.Settings settings) {
        int rounds = size.pick(3, 10);
        Map<String, Integer> outcomes = new LinkedHashMap<>();
        int asPromised = 0;
        double worst = 0;
        boolean works;
        try (ProcessPool pool = Multiprocess.getContext().pool(1)) {
            pool.apply(() -> 0);
            for (int round = 0; round < rounds; round++) {
                Outcome outcome = attempt(() -> pool.applyAsync(BadInputScenarios::deepList).get(LONG));
                worst = Math.max(worst, outcome.millis());
                boolean promised = outcome.threw(TaskFailedException.class) && outcome.mentions("StackOverflowError");
                asPromised += promised ? 1 : 0;
                String kind = outcome.error() == null ? "a result"
                        : outcome.error().getClass().getSimpleName() + (outcome.mentions("StackOverflowError")
                                ? " naming StackOverflowError" : "");
                outcomes.merge(kind, 1, Integer::sum);
            }
            works = works(pool);
        }
        StringBuilder figure = new StringBuilder();
        outcomes.forEach((kind, count) -> figure.append(figure.length() == 0 ? "" : ", ").append(count).append("× ")
                .append(kind));
        return new Scenario.Result(String.format(Locale.ROOT, "pool(1).apply of a task returning nested Object[] "
                + "100,000 deep; %d rounds", rounds), String.format(Locale.ROOT, "%s; each within %.0f ms; %s", figure,
                worst, works(works)), asPromised == rounds && works);
    }

    static Scenario.Result systemExit(Size size, Scenario.Settings settings) {
        List<String> outcomes = new ArrayList<>();
        int asPromised = 0;
        boolean works;
        String state;
        try (ProcessPool pool = Multiprocess.getContext().pool(1)) {
            for (int round = 0; round < 3; round++) {
                Outcome outcome = attempt(() -> pool.applyAsync(() -> {
                    System.exit(3);
                    return 0;
                }).get(LONG));
                boolean promised = outcome.error() instanceof WorkerCrashedException crash && crash.exitCode() == 3;
                asPromised += promised ? 1 : 0;
                outcomes.add(promised ? String.format(Locale.ROOT, "WorkerCrashedException exit 3 after %.0f ms",
                        outcome.millis()) : outcome.describe());
            }
            works = works(pool);
            state = pool.snapshot().state().name();
            if (!works) {
                pool.terminate();
            }
        }
        return new Scenario.Result("pool(1), fresh; three tasks in a row calling System.exit(3) (each the first "
                + "task of its worker), then a normal task", String.join("; ", outcomes) + "; pool " + state + ", "
                + works(works), asPromised == 3 && works);
    }

    static Scenario.Result bigOutput(Size size, Scenario.Settings settings) {
        int mib = size.pick(10, 100);
        try (ProcessPool pool = Multiprocess.getContext().pool(1)) {
            pool.apply(() -> 0);
            long self = ProcessHandle.current().pid();
            long rssBefore = Os.rssKib(self);
            Outcome outcome = attempt(() -> pool.applyAsync(() -> {
                byte[] line = new byte[1024];
                java.util.Arrays.fill(line, (byte) 'x');
                line[line.length - 1] = '\n';
                for (PrintStream stream : List.of(System.out, System.err)) {
                    for (int i = 0; i < mib * 1024; i++) {
                        stream.write(line, 0, line.length);
                    }
                    stream.flush();
                }
                return "done";
            }).get(Duration.ofSeconds(300)));
            long rssAfter = Os.rssKib(self);
            boolean works = works(pool);
            boolean held = "done".equals(outcome.value()) && works && rssAfter - rssBefore < 64 * 1024;
            return new Scenario.Result(String.format(Locale.ROOT, "pool(1).apply of a task writing %d MiB of 1 KiB "
                    + "lines to System.out, then %d MiB to System.err", mib, mib), String.format(Locale.ROOT,
                    "%s; parent RSS %s → %s; %s", outcome.describe(), Os.mib(rssBefore), Os.mib(rssAfter),
                    works(works)), held);
        }
    }

    static Scenario.Result throwingIterator(Size size, Scenario.Settings settings) {
        try (ProcessPool pool = Multiprocess.getContext().pool(2)) {
            pool.apply(() -> 0);
            Iterable<Integer> input = () -> new Iterator<>() {
                private int next;

                @Override
                public boolean hasNext() {
                    return true;
                }

                @Override
                public Integer next() {
                    if (next == 5) {
                        throw new IllegalStateException("the input broke after 5 items");
                    }
                    return next++;
                }
            };
            List<Integer> results = new ArrayList<>();
            long before = System.nanoTime();
            Throwable error = null;
            try {
                ResultIterator<Integer> iterator = pool.imap((Integer x) -> x * 10, input, 1);
                while (iterator.hasNext()) {
                    results.add(iterator.next(LONG));
                }
            } catch (NoSuchElementException e) {
                error = e;
            } catch (RuntimeException e) {
                error = e;
            }
            double millis = (System.nanoTime() - before) / 1e6;
            boolean works = works(pool);
            boolean held = results.equals(List.of(0, 10, 20, 30, 40)) && error instanceof IllegalStateException
                    && works;
            return new Scenario.Result("pool(2).imap(x -> x * 10) over an iterator throwing at its 6th item",
                    String.format(Locale.ROOT, "results %s, then %s, after %.0f ms; %s", results,
                            error == null ? "no exception" : ReliabilityBench.describe(error), millis, works(works)),
                    held);
        }
    }

    static Scenario.Result badJvmFlag(Size size, Scenario.Settings settings) {
        BaseContext context = Multiprocess.getContext();
        long before = System.nanoTime();
        ProcessPool[] created = new ProcessPool[1];
        Outcome outcome = attempt(() -> {
            created[0] = context.pool(PoolOptions.defaults().processes(2).jvmArguments(List.of("-XX:+NoSuchFlag")));
            SerializableCallable<Integer> task = () -> 1;
            return created[0].applyAsync(task).get(LONG);
        });
        String state = created[0] == null ? "not created" : created[0].snapshot().state().name();
        String terminate = "terminate() returned";
        if (created[0] != null) {
            try {
                created[0].terminate();
            } catch (RuntimeException e) {
                terminate = "terminate() threw " + ReliabilityBench.describe(e);
            }
        }
        // Empty for half a second in a row: a warm spare of the flagged context that was being launched when the
        // pool broke registers a moment later, and dies of the flag at once; a JVM that stays is a leak.
        long deadline = System.nanoTime() + 10_000_000_000L;
        long emptySince = 0;
        while (System.nanoTime() < deadline) {
            if (!Diagnostics.liveChildJvms().isEmpty()) {
                emptySince = 0;
            } else if (emptySince == 0) {
                emptySince = System.nanoTime();
            } else if (System.nanoTime() - emptySince > 500_000_000L) {
                break;
            }
            Os.sleep(10);
        }
        int left = Diagnostics.liveChildJvms().size();
        boolean works;
        try (ProcessPool pool = context.pool(1)) {
            works = works(pool);
        }
        boolean held = outcome.error() != null && outcome.mentions("NoSuchFlag") && outcome.millis() < 30_000
                && terminate.equals("terminate() returned") && left == 0 && works;
        double total = (System.nanoTime() - before) / 1e9;
        return new Scenario.Result("pool(2) with jvmArguments [-XX:+NoSuchFlag], one apply; then terminate(), "
                + "then a pool without the flag", String.format(Locale.ROOT, "%s; pool %s; %s; child JVMs left: "
                + "%d; a pool without the flag %s; %.1f s in all", outcome.describe(), state, terminate, left,
                works ? "works" : "does NOT work", total), held);
    }
}
