package io.multiprocess.bench;

/**
 * Command-line settings of {@link LockBench}; bench/python/lock_bench.py takes the same. The defaults give stable
 * medians in well under a minute; {@code --short} only proves the harness still works (a CI smoke run).
 *
 * @param warmupReps unmeasured repetitions before the measured ones (they let the JIT compile the loop)
 * @param reps measured repetitions; the figure is their median
 * @param pairs acquire+release pairs per repetition
 * @param increments increments under the lock per process, in the 4-process shared value run
 * @param json print JSON for bench/run-sync.sh instead of a Markdown table
 */
record LockBenchOptions(int warmupReps, int reps, int pairs, int increments, boolean json) {

    static final String USAGE = "usage: LockBench [--short] [--warmup N] [--reps N] [--pairs N] [--increments N]"
            + " [--json]";

    static LockBenchOptions parse(String[] args) {
        int warmup = 5;
        int reps = 15;
        int pairs = 1_000_000;
        int increments = 100_000;
        boolean json = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--short" -> {
                    warmup = 2;
                    reps = 3;
                    pairs = 50_000;
                    increments = 2_000;
                }
                case "--warmup" -> warmup = CommandLine.count(args, ++i, 0, USAGE);
                case "--reps" -> reps = CommandLine.count(args, ++i, 1, USAGE);
                case "--pairs" -> pairs = CommandLine.count(args, ++i, 1, USAGE);
                case "--increments" -> increments = CommandLine.count(args, ++i, 1, USAGE);
                case "--json" -> json = true;
                case "-h", "--help" -> {
                    System.out.println(USAGE);
                    System.exit(0);
                }
                default -> throw new IllegalArgumentException("unknown argument '" + args[i] + "'; " + USAGE);
            }
        }
        return new LockBenchOptions(warmup, reps, pairs, increments, json);
    }
}
