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

    /**
     * The flags that map the class-data archives of a child JVM (the JDK's own and the startup archive) at the
     * address they were built for, as JDKs did by default until 2023. Relocating them writes a pointer into most of
     * their pages, so each child held them as private copies: mapped in place, an idle pool worker has 8 MiB less
     * private memory and starts 30 ms sooner (docs/benchmarks.md, "Lean workers"). The cost: those archives sit at a
     * known address in the child, which address-space randomization no longer hides from an exploit of a memory bug
     * in the JVM itself. Any {@code -XX:ArchiveRelocationMode} argument, {@code -Xshare:off} or
     * {@code -XX:-UnlockDiagnosticVMOptions} replaces them; {@code JAVA_TOOL_OPTIONS} does not, as the command line
     * comes after it.
     */
    public static final List<String> ARCHIVES_IN_PLACE = List.of("-XX:+UnlockDiagnosticVMOptions",
            "-XX:ArchiveRelocationMode=0");
    private static final Pattern CHOOSES_ARCHIVE_MAPPING = Pattern.compile(
            "-XX:ArchiveRelocationMode=.*|-Xshare:off|-XX:-UnlockDiagnosticVMOptions");
    /**
     * The JDKs on which {@link #ARCHIVES_IN_PLACE} was measured. It is a diagnostic flag, which a later JDK may drop,
     * and a JVM refuses to start on a flag it does not know.
     */
    private static final int ARCHIVES_IN_PLACE_FROM = 17;
    private static final int ARCHIVES_IN_PLACE_UNTIL = 25;

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
        List<String> arguments = new ArrayList<>(jvmArguments.size() + 3);
        if (noneMatches(CHOOSES_COLLECTOR)) {
            arguments.add(DEFAULT_COLLECTOR);
        }
        if (noneMatches(CHOOSES_ARCHIVE_MAPPING) && childRunsThisJdk()) {
            arguments.addAll(ARCHIVES_IN_PLACE);
        }
        arguments.addAll(jvmArguments);
        return List.copyOf(arguments);
    }

    private boolean noneMatches(Pattern pattern) {
        return jvmArguments.stream().noneMatch(argument -> pattern.matcher(argument).matches());
    }

    /**
     * Whether the child runs this JVM's own java, a HotSpot JDK on which {@link #ARCHIVES_IN_PLACE} was measured; of
     * another executable nothing is known without starting it.
     */
    private boolean childRunsThisJdk() {
        int feature = Runtime.version().feature();
        return executable.isEmpty() && feature >= ARCHIVES_IN_PLACE_FROM && feature <= ARCHIVES_IN_PLACE_UNTIL
                && System.getProperty("java.vm.name", "").matches(".*(HotSpot|OpenJDK).*");
    }
}
