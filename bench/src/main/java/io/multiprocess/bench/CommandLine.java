package io.multiprocess.bench;

/** Reading the harnesses' numeric options, with errors that say which option and what it needs. */
final class CommandLine {

    private CommandLine() {
    }

    /** The number after the option at {@code index - 1}, at least {@code min}. */
    static int count(String[] args, int index, int min, String usage) {
        if (index >= args.length) {
            throw new IllegalArgumentException(args[index - 1] + " needs a number; " + usage);
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
