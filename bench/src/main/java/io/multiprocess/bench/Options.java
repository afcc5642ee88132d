package io.multiprocess.bench;

/**
 * Command-line settings of {@link StartLatency}. The defaults give stable medians in a few minutes; {@code --short}
 * only proves the harness still works (a CI smoke run), its figures mean little.
 */
record Options(int warmup, int forkserverRuns, int spawnRuns, int bareRuns) {

    static final String USAGE = "usage: StartLatency [--short] [--warmup N] [--forkserver N] [--spawn N] [--bare N]";

    static Options parse(String[] args) {
        int warmup = 3;
        int forkserver = 20;
        int spawn = 10;
        int bare = 10;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--short" -> {
                    warmup = 1;
                    forkserver = 3;
                    spawn = 3;
                    bare = 3;
                }
                case "--warmup" -> warmup = count(args, ++i, 0);
                case "--forkserver" -> forkserver = count(args, ++i, 1);
                case "--spawn" -> spawn = count(args, ++i, 1);
                case "--bare" -> bare = count(args, ++i, 1);
                case "-h", "--help" -> {
                    System.out.println(USAGE);
                    System.exit(0);
                }
                default -> throw new IllegalArgumentException("unknown argument '" + args[i] + "'; " + USAGE);
            }
        }
        return new Options(warmup, forkserver, spawn, bare);
    }

    private static int count(String[] args, int index, int min) {
        if (index >= args.length) {
            throw new IllegalArgumentException(args[index - 1] + " needs a number; " + USAGE);
        }
        int value;
        try {
            value = Integer.parseInt(args[index]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(args[index - 1] + " needs a number, got '" + args[index] + "'", e);
        }
        if (value < min) {
            throw new IllegalArgumentException(args[index - 1] + " must be at least " + min + ", got " + value);
        }
        return value;
    }
}
