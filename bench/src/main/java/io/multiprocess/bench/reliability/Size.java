package io.multiprocess.bench.reliability;

/**
 * The sizes of a run: the full form the figures page quotes, or the short form CI runs in seconds. A scenario asks
 * for its sizes through {@link #pick}, so both forms stay side by side in the code.
 */
record Size(boolean isShort) {

    int pick(int shortForm, int fullForm) {
        return isShort ? shortForm : fullForm;
    }

    String name() {
        return isShort ? "short" : "full";
    }
}
