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
 */
public record LaunchSettings(String startMethod, String reducer, String executable, List<String> jvmArguments,
        List<String> preload, boolean startupArchive) {

    public LaunchSettings {
        jvmArguments = List.copyOf(jvmArguments);
        preload = List.copyOf(preload);
    }
}
