package io.multiprocess.bench.reliability;

import java.util.Locale;

/**
 * One scenario's result: what was done, what was measured, the promise it checks, and whether the promise held.
 * bench/run-reliability.sh collects the JSON line of each and writes docs/reliability.md from them.
 *
 * @param id the scenario's name on the command line (and in the script's list of guarded promises)
 * @param scenario a short title
 * @param done what the scenario did, with its sizes
 * @param figure what it measured, as a sentence of numbers
 * @param promise what the library promises in this case
 * @param held whether the figure keeps the promise
 * @param seconds how long the scenario took
 */
record Row(String id, String scenario, String done, String figure, String promise, boolean held, double seconds) {

    String markdown() {
        return String.format(Locale.ROOT, "| %s | %s | %s | %s | %s |", scenario, done, figure, promise,
                held ? "yes" : "no");
    }

    /** Hand-written, as the bench has no JSON library. */
    String json() {
        return String.format(Locale.ROOT, "{\"id\": %s, \"scenario\": %s, \"done\": %s, \"figure\": %s, "
                + "\"promise\": %s, \"held\": %s, \"seconds\": %.1f}", quote(id), quote(scenario), quote(done),
                quote(figure), quote(promise), held, seconds);
    }

    private static String quote(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '|' -> out.append("\\u007c");   // a cell of the page's table must not split it
                default -> out.append(c < 0x20 || c > 0x7e ? String.format("\\u%04x", (int) c) : String.valueOf(c));
            }
        }
        return out.append('"').toString();
    }
}
