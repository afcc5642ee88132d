package io.multiprocess.bench;

/**
 * Command-line settings of {@link PoolBench}. The defaults give stable medians in a few minutes per start method;
 * {@code --short} only proves the harness still works (a CI smoke run), its figures mean little.
 *
 * @param warmupApplies unmeasured {@code apply} calls before the measured rounds
 * @param applyRounds measured rounds of sequential {@code apply} calls
 * @param appliesPerRound {@code apply} calls per round
 * @param items integers each {@code map} and {@code imap} run goes over
 * @param repetitions measured runs of each {@code map} and {@code imap} variant, after the {@link WarmUp} runs
 * @param cpuItems items of the CPU-bound map (each a prime count)
 * @param cpuLimit each item counts the primes below this
 * @param json print JSON for bench/run-pool.sh instead of a Markdown table
 * @param relayOutput run the workers with {@code ChildOutput.LOG} (their output relayed into this JVM's logging)
 *     rather than the default, inherited output: what the relay costs when tasks print nothing
 */
record PoolBenchOptions(int warmupApplies, int applyRounds, int appliesPerRound, int items, int repetitions,
        int cpuItems, int cpuLimit, boolean json, boolean relayOutput) {

    static final String USAGE = "usage: PoolBench [--short] [--warmup N] [--rounds N] [--applies N] [--items N]"
            + " [--reps N] [--cpu-items N] [--cpu-limit N] [--json] [--relay-output]";

    static PoolBenchOptions parse(String[] args) {
        int warmup = 500;
        int rounds = 5;
        int applies = 2_000;
        int items = 200_000;
        int reps = 5;
        int cpuItems = 8;
        int cpuLimit = 100_000;
        boolean json = false;
        boolean relayOutput = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--short" -> {
                    warmup = 50;
                    rounds = 2;
                    applies = 100;
                    items = 2_000;
                    reps = 1;
                    cpuItems = 4;
                    cpuLimit = 5_000;
                }
                case "--warmup" -> warmup = CommandLine.count(args, ++i, 0, USAGE);
                case "--rounds" -> rounds = CommandLine.count(args, ++i, 1, USAGE);
                case "--applies" -> applies = CommandLine.count(args, ++i, 1, USAGE);
                case "--items" -> items = CommandLine.count(args, ++i, 1, USAGE);
                case "--reps" -> reps = CommandLine.count(args, ++i, 1, USAGE);
                case "--cpu-items" -> cpuItems = CommandLine.count(args, ++i, 1, USAGE);
                case "--cpu-limit" -> cpuLimit = CommandLine.count(args, ++i, 3, USAGE);
                case "--json" -> json = true;
                case "--relay-output" -> relayOutput = true;
                case "-h", "--help" -> {
                    System.out.println(USAGE);
                    System.exit(0);
                }
                default -> throw new IllegalArgumentException("unknown argument '" + args[i] + "'; " + USAGE);
            }
        }
        return new PoolBenchOptions(warmup, rounds, applies, items, reps, cpuItems, cpuLimit, json, relayOutput);
    }
}
