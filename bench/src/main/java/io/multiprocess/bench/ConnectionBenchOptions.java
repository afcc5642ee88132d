package io.multiprocess.bench;

/**
 * Command-line settings of {@link ConnectionBench}. The defaults give stable medians in well under a minute;
 * {@code --short} only proves the harness still works (a CI smoke run), its figures mean little.
 *
 * @param warmup unmeasured round trips of each kind before the measured ones
 * @param smallRoundTrips measured round trips of a small object, and of a small byte message
 * @param largeRoundTrips measured round trips of a 1 MiB byte message
 * @param json print JSON for bench/run-connection.sh instead of a Markdown table
 */
record ConnectionBenchOptions(int warmup, int smallRoundTrips, int largeRoundTrips, boolean json) {

    static final String USAGE = "usage: ConnectionBench [--short] [--warmup N] [--small N] [--large N] [--json]";

    static ConnectionBenchOptions parse(String[] args) {
        int warmup = 2_000;
        int small = 20_000;
        int large = 500;
        boolean json = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--short" -> {
                    warmup = 100;
                    small = 200;
                    large = 10;
                }
                case "--warmup" -> warmup = CommandLine.count(args, ++i, 0, USAGE);
                case "--small" -> small = CommandLine.count(args, ++i, 1, USAGE);
                case "--large" -> large = CommandLine.count(args, ++i, 1, USAGE);
                case "--json" -> json = true;
                case "-h", "--help" -> {
                    System.out.println(USAGE);
                    System.exit(0);
                }
                default -> throw new IllegalArgumentException("unknown argument '" + args[i] + "'; " + USAGE);
            }
        }
        return new ConnectionBenchOptions(warmup, small, large, json);
    }
}
