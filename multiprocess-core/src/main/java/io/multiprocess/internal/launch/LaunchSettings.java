package io.multiprocess.internal.launch;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

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

    /**
     * The collector of a child JVM whose arguments choose none. A worker runs one task at a time on a heap of its
     * own, where concurrent collection only competes with the task: beside the JVM's own choice (G1 on a machine with
     * 2 CPUs and 2 GB or more) an idle pool worker has 5 threads fewer and 1.4 MiB less private memory, and a map of
     * allocating tasks ran 2.4 times faster (docs/benchmarks.md, "Lean workers"). Any {@code -XX:+Use...GC} argument
     * replaces it.
     */
    public static final String DEFAULT_COLLECTOR = "-XX:+UseSerialGC";
    private static final Pattern CHOOSES_COLLECTOR = Pattern.compile("-XX:\\+Use[A-Za-z0-9]*GC");

    public LaunchSettings {
        jvmArguments = List.copyOf(jvmArguments);
        preload = List.copyOf(preload);
    }

    /** Settings as a child passes them on, its output not relayed. */
    public LaunchSettings(String startMethod, String reducer, String executable, List<String> jvmArguments,
            List<String> preload, boolean startupArchive) {
        this(startMethod, reducer, executable, jvmArguments, preload, startupArchive, false);
    }

    /** The JVM arguments a child starts with: the defaults its arguments leave unset, then its arguments. */
    public List<String> childJvmArguments() {
        if (jvmArguments.stream().anyMatch(argument -> CHOOSES_COLLECTOR.matcher(argument).matches())) {
            return jvmArguments;
        }
        List<String> arguments = new ArrayList<>(jvmArguments.size() + 1);
        arguments.add(DEFAULT_COLLECTOR);
        arguments.addAll(jvmArguments);
        return List.copyOf(arguments);
    }
}
