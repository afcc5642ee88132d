package io.multiprocess.process;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The command line of a child JVM: the parent's java (or the configured executable), the parent's classpath,
 * the flags the child needs, the user's extra JVM arguments, and {@code ChildMain} with the socket to call back.
 * Nothing secret goes on the command line (every local user can read it with {@code ps}).
 */
final class JvmCommand {

    static final String CHILD_MAIN = "io.multiprocess.ChildMain";
    private static final Pattern RELEASE_VERSION = Pattern.compile("JAVA_VERSION=\"(\\d+)");
    private static final Map<String, Integer> FEATURE_VERSIONS = new ConcurrentHashMap<>();

    private JvmCommand() {
    }

    static List<String> build(LaunchSettings settings, Path controlSocket) {
        String java = javaExecutable(settings);
        List<String> command = new ArrayList<>();
        command.add(java);
        if (featureVersion(java) >= 23) {
            // Kryo and Objenesis may touch sun.misc.Unsafe; JDK 23+ warns about it on stderr otherwise.
            command.add("--sun-misc-unsafe-memory-access=allow");
        }
        command.addAll(settings.jvmArguments());
        command.add("-cp");
        command.add(classpath());
        command.add(CHILD_MAIN);
        command.add(controlSocket.toString());
        command.add(settings.reducer());
        command.add(String.join(",", settings.preload()));
        return command;
    }

    static String javaExecutable(LaunchSettings settings) {
        if (!settings.executable().isEmpty()) {
            return settings.executable();
        }
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** The parent's classpath with every entry made absolute, so a child's working directory does not matter. */
    static String classpath() {
        String classpath = System.getProperty("java.class.path", "");
        List<String> absolute = new ArrayList<>();
        for (String entry : classpath.split(File.pathSeparator)) {
            if (!entry.isEmpty()) {
                absolute.add(Path.of(entry).toAbsolutePath().toString());
            }
        }
        return String.join(File.pathSeparator, absolute);
    }

    /** The feature version of a java binary, from its JDK's {@code release} file; 17 when it cannot be read. */
    static int featureVersion(String java) {
        return FEATURE_VERSIONS.computeIfAbsent(java, JvmCommand::readFeatureVersion);
    }

    private static int readFeatureVersion(String java) {
        if (Path.of(java).equals(Path.of(System.getProperty("java.home"), "bin", "java"))) {
            return Runtime.version().feature();
        }
        try {
            Path home = Path.of(java).toRealPath().getParent().getParent();
            Matcher matcher = RELEASE_VERSION.matcher(Files.readString(home.resolve("release")));
            if (matcher.find()) {
                return Integer.parseInt(matcher.group(1));
            }
        } catch (IOException | RuntimeException e) {
            // Unknown JDK layout: assume the baseline and add no version-specific flag.
        }
        return 17;
    }
}
