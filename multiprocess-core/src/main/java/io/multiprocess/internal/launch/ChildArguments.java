package io.multiprocess.internal.launch;

/**
 * The command line a child JVM is started with, shared by the launcher that writes it and {@code ChildMain} that
 * reads it. The main class is named, not referenced: it sits above this package, which only launches it.
 */
public final class ChildArguments {

    /** The child's main class. */
    public static final String MAIN_CLASS = "io.multiprocess.ChildMain";
    /** First argument of a startup archive's training run (see {@link StartupArchive}). */
    public static final String TRAIN_STARTUP_ARCHIVE = "--train-startup-archive";
    /** Last argument of a forkserver spare: it rehearses taking a process before it reports READY. */
    public static final String SPARE = "spare";
    /** Last argument of a child whose process is already assigned (spawn): it takes it at once. */
    public static final String ASSIGNED = "assigned";

    private ChildArguments() {
    }
}
