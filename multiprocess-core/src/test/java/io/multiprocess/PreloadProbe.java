package io.multiprocess;

/** Marks, in a system property, that this class was initialized in the JVM: used to see preloading happen. */
public final class PreloadProbe {

    static final String PROPERTY = "io.multiprocess.test.preloaded";

    static {
        System.setProperty(PROPERTY, "initialized");
    }

    private PreloadProbe() {
    }
}
