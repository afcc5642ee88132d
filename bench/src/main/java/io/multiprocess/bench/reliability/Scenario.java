package io.multiprocess.bench.reliability;

/**
 * One scenario of the figures page: its name, its title, the promise it checks, and the code that does it on real
 * JVMs and says what it measured.
 */
record Scenario(String id, String title, String promise, Body body) {

    /** What a scenario reports: what it did (with its sizes), what it measured, and whether the promise held. */
    record Result(String done, String figure, boolean held) {
    }

    @FunctionalInterface
    interface Body {
        Result run(Size size, Settings settings) throws Exception;
    }

    /** What scenarios need from the command line beyond their size. */
    record Settings(String classpath, String java, String sampleJar) {
    }
}
