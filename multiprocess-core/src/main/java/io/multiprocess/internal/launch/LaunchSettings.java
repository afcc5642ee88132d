package io.multiprocess.internal.launch;

import java.util.List;

/**
 * How child JVMs are launched: the start method, the reducer (by name), the java executable, extra JVM arguments,
 * and the classes to preload in warm spares. Passed on to each child so it starts grandchildren the same way.
 *
 * @param startMethod {@code spawn} or {@code forkserver}
 * @param reducer the reducer name, see {@code Reducers.byName}
 * @param executable the java binary, or empty for the one running this JVM
 * @param jvmArguments extra arguments placed before the main class
 * @param preload class names to load and initialize before a child takes work
 * @param startupArchive whether children may start from a class-data archive (see {@link StartupArchive})
 * @param relayOutput whether a child's stdout and stderr are read line by line and logged in this JVM, rather than
 *     written straight to this JVM's; not passed on: a child's own children write into its streams, which reach
 *     this JVM's log through it
 */
public record LaunchSettings(String startMethod, String reducer, String executable, List<String> jvmArguments,
        List<String> preload, boolean startupArchive, boolean relayOutput) {

    public LaunchSettings {
        jvmArguments = List.copyOf(jvmArguments);
        preload = List.copyOf(preload);
    }

    /** Settings as a child passes them on, its output not relayed. */
    public LaunchSettings(String startMethod, String reducer, String executable, List<String> jvmArguments,
            List<String> preload, boolean startupArchive) {
        this(startMethod, reducer, executable, jvmArguments, preload, startupArchive, false);
    }
}
