package io.multiprocess.bench;

/**
 * Command-line settings of {@link StartLatency}. The defaults give stable medians in a few minutes; {@code --short}
 * only proves the harness still works (a CI smoke run), its figures mean little.
 */
record Options(int warmup, int forkserverRuns, int spawnRuns, int bootstrapRuns, int bareRuns,
        java.util.List<String> childJvmArguments) {

    static final String USAGE = "usage: StartLatency [--short] [--warmup N] [--forkserver N] [--spawn N] [--bootstrap N]"
            + " [--bare N]"
            + " [--child-jvm-args 'FLAGS'] (FLAGS replace the library's default flags for child JVMs)";

    static Options parse(String[] args) {
        int warmup = 3;
        int forkserver = 20;
        int spawn = 10;
        int bootstrap = 10;
        int bare = 10;
        java.util.List<String> childJvmArguments = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--short" -> {
                    warmup = 1;
                    forkserver = 3;
                    spawn = 3;
                    bootstrap = 3;
                    bare = 3;
                }
                case "--warmup" -> warmup = CommandLine.count(args, ++i, 0, USAGE);
                case "--forkserver" -> forkserver = CommandLine.count(args, ++i, 1, USAGE);
                case "--spawn" -> spawn = CommandLine.count(args, ++i, 1, USAGE);
                case "--bootstrap" -> bootstrap = CommandLine.count(args, ++i, 1, USAGE);
                case "--bare" -> bare = CommandLine.count(args, ++i, 1, USAGE);
                case "--child-jvm-args" -> {
                    if (++i >= args.length) {
                        throw new IllegalArgumentException("--child-jvm-args needs a value; " + USAGE);
                    }
                    childJvmArguments = args[i].isBlank() ? java.util.List.of()
                            : java.util.List.of(args[i].trim().split("\\s+"));
                }
                case "-h", "--help" -> {
                    System.out.println(USAGE);
                    System.exit(0);
                }
                default -> throw new IllegalArgumentException("unknown argument '" + args[i] + "'; " + USAGE);
            }
        }
        return new Options(warmup, forkserver, spawn, bootstrap, bare, childJvmArguments);
    }
}
