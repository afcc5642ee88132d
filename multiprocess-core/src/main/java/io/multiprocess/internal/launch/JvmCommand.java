package io.multiprocess.internal.launch;

import io.multiprocess.internal.FrameLimit;
import io.multiprocess.internal.logging.LogRelay;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The command line of a child JVM: the parent's java (or the configured executable), the parent's classpath,
 * the context's extra JVM arguments, the startup archive's flags, and {@code ChildMain} with the socket to call
 * back (started through the jar's launcher when the parent runs as a Spring Boot executable jar, see
 * {@link BootJar}).
 * Nothing secret goes on the command line (every local user can read it with {@code ps}).
 */
final class JvmCommand {

    private JvmCommand() {
    }

    /** The command, and the startup archive it uses, if any. */
    record Launch(List<String> command, StartupArchive.Use archive) {
    }

    /**
     * @param spare whether the child is a forkserver spare (it rehearses taking a process before READY) rather
     *     than a child whose process is already assigned (it takes it as soon as it can)
     * @param loadAhead classes a spare loads (without initializing them) before it reports READY
     */
    static Launch build(LaunchSettings settings, Path controlSocket, boolean spare, List<String> loadAhead) {
        String java = javaExecutable(settings);
        String classpath = classpath();
        Optional<String> bootLauncher = BootJar.launcherFor(classpath);
        // A class-data archive cannot hold classes that a launcher loads from nested jars.
        StartupArchive.Use archive = bootLauncher.isPresent() ? StartupArchive.Use.NONE
                : StartupArchive.flagsFor(settings, java, classpath);
        List<String> command = new ArrayList<>();
        command.add(java);
        if (settings.jvmArguments().stream().noneMatch(argument -> argument.startsWith("-D" + FrameLimit.PROPERTY + "="))) {
            FrameLimit.childArgument().ifPresent(command::add);
        }
        if (settings.relayOutput() && settings.jvmArguments().stream()
                .noneMatch(argument -> argument.startsWith("-D" + LogRelay.SLF4J_PROVIDER_PROPERTY + "="))) {
            // The child's SLF4J events travel to this JVM as events, filtered by this JVM's levels (see LogRelay).
            command.add("-D" + LogRelay.SLF4J_PROVIDER_PROPERTY + "=" + LogRelay.PROVIDER_CLASS);
            if (settings.jvmArguments().stream().noneMatch(argument -> argument.startsWith("-Dslf4j.internal."))) {
                // Else SLF4J says on stderr, in every child, that it loads the provider it was told to.
                command.add("-Dslf4j.internal.verbosity=WARN");
            }
        }
        command.addAll(settings.childJvmArguments());
        command.addAll(archive.flags());
        bootLauncher.ifPresent(launcher -> command.add(BootJar.mainClassProperty(ChildArguments.MAIN_CLASS)));
        command.add("-cp");
        command.add(classpath);
        command.add(bootLauncher.orElse(ChildArguments.MAIN_CLASS));
        command.add(controlSocket.toString());
        command.add(settings.reducer());
        command.add(String.join(",", settings.preload()));
        command.add(String.join(",", loadAhead));
        command.add(spare ? ChildArguments.SPARE : ChildArguments.ASSIGNED);
        return new Launch(command, archive);
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
}
