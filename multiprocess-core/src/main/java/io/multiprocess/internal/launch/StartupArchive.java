package io.multiprocess.internal.launch;

import io.multiprocess.internal.ExitSequence;
import io.multiprocess.internal.MpLogger;
import java.io.File;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;

/**
 * A class-data archive of the library's bootstrap, so child JVMs start faster: AppCDS (a dynamic archive) before
 * JDK 25, the AOT cache (JEP 514) from JDK 25 on.
 *
 * <p>The first time a (JDK, JVM arguments, classpath) combination is launched, a throw-away training JVM runs the
 * bootstrap ({@code ChildMain --train-startup-archive}) in the background and writes the archive into the user's
 * cache directory ({@code $XDG_CACHE_HOME/multiprocess/startup}, else {@code ~/.cache/multiprocess/startup}, mode
 * 0700; the system property {@value #CACHE_DIR_PROPERTY} overrides it); it is moved into place only when complete.
 * Later children start with it. Nothing is archived when the classpath holds a class directory (an IDE, a Maven
 * build): the JVM refuses those, so this is skipped, with a debug log. A child that dies before connecting back
 * while using an archive has it deleted: a damaged archive must not keep children from starting.
 *
 * <p>Trust: the archive holds class data the children execute, so it lives in a directory only the user can write.
 */
final class StartupArchive {

    static final String CACHE_DIR_PROPERTY = "io.multiprocess.cache.dir";
    private static final Logger LOG = MpLogger.INSTANCE;
    private static final Pattern RELEASE_VERSION = Pattern.compile("JAVA_VERSION=\"([^\"]+)\"");
    private static final Set<String> TRAINING_OR_FAILED = ConcurrentHashMap.newKeySet();
    private static final Map<String, Optional<Path>> ARCHIVE_PATHS = new ConcurrentHashMap<>();
    /** Archives kept in the cache; each rebuilt jar makes a new one, so the oldest are deleted. */
    static final int KEPT_ARCHIVES = 8;
    /** Training JVMs still running; ended with this JVM, so none outlives it. */
    private static final Set<Process> TRAININGS = ConcurrentHashMap.newKeySet();

    static {
        ExitSequence.register(ExitSequence.Phase.CHILDREN, "startup-archive-trainings", Duration.ofSeconds(1),
                () -> TRAININGS.forEach(Process::destroyForcibly));
    }

    private StartupArchive() {
    }

    /**
     * The JVM flags that make a child start from the archive, or none: the archive does not exist yet (training it
     * starts in the background), the classpath cannot be archived, or archives are switched off.
     *
     * @return the flags and the archive they name (null when none)
     */
    static Use flagsFor(LaunchSettings settings, String java, String classpath) {
        if (!settings.startupArchive()) {
            return Use.NONE;
        }
        // Worked out once per JVM: checking every jar and hashing is not for each launch.
        Optional<Path> where = ARCHIVE_PATHS.computeIfAbsent(java + '\n' + settings.childJvmArguments() + '\n'
                + settings.reducer() + '\n' + classpath, ignored -> archivePath(settings, java, classpath));
        if (where.isEmpty()) {
            return Use.NONE;
        }
        Path archive = where.get();
        boolean aotCache = archive.toString().endsWith(".aot");
        if (Files.isRegularFile(archive)) {
            List<String> flags = aotCache
                    ? List.of("-Xlog:aot=off,cds=off", "-XX:AOTCache=" + archive)
                    : List.of("-Xlog:cds=off,cds+dynamic=off", "-XX:SharedArchiveFile=" + archive);
            return new Use(flags, archive);
        }
        if (TRAINING_OR_FAILED.add(archive.toString())) {
            Thread trainer = new Thread(() -> train(settings, java, classpath, archive, aotCache),
                    "multiprocess-startup-archive");
            trainer.setDaemon(true);
            trainer.start();
        }
        return Use.NONE;
    }

    /** Where the archive for these settings lives, or empty when there can be none. */
    private static Optional<Path> archivePath(LaunchSettings settings, String java, String classpath) {
        String version = isArchivable(classpath) ? javaVersion(java) : null;
        Path directory = version == null ? null : cacheDirectory();
        if (directory == null) {
            return Optional.empty();
        }
        boolean aotCache = Runtime.Version.parse(version).feature() >= 25;
        return Optional.of(directory.resolve(key(java, version, settings, classpath) + (aotCache ? ".aot" : ".jsa")));
    }

    /**
     * A child using {@code archive} died before it connected back: if it crashed (the JVM aborts on a damaged
     * archive) or could not initialize, drop the archive; it is trained again later.
     */
    static void distrustIfCrashed(Path archive, int status) {
        if (status != 1 && status != 128 + 6 && status != 128 + 7 && status != 128 + 11) {
            return;
        }
        try {
            if (Files.deleteIfExists(archive)) {
                LOG.warn("deleted the startup archive {}: a child JVM using it died at start-up", archive);
            }
        } catch (IOException e) {
            LOG.debug("cannot delete the startup archive {}: {}", archive, e.toString());
        }
    }

    private static void train(LaunchSettings settings, String java, String classpath, Path archive, boolean aot) {
        Path partial = archive.resolveSibling(archive.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
        List<String> command = new ArrayList<>();
        command.add(java);
        command.addAll(settings.childJvmArguments());
        command.add(aot ? "-XX:AOTCacheOutput=" + partial : "-XX:ArchiveClassesAtExit=" + partial);
        command.add("-Xlog:disable");
        command.add("-cp");
        command.add(classpath);
        command.add(ChildArguments.MAIN_CLASS);
        command.add(ChildArguments.TRAIN_STARTUP_ARCHIVE);
        command.add(settings.reducer());
        try {
            Process training = new ProcessBuilder(command).redirectOutput(Redirect.DISCARD)
                    .redirectError(Redirect.DISCARD).redirectInput(Redirect.PIPE).start();
            TRAININGS.add(training);
            training.getOutputStream().close();
            int status = training.waitFor();
            TRAININGS.remove(training);
            if (status == 0 && Files.size(partial) > 0) {
                Files.move(partial, archive, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                LOG.debug("created the startup archive {}", archive);
                pruneOldest(archive.getParent());
            } else {
                LOG.debug("training a startup archive exited with {}; children start without one", status);
            }
        } catch (IOException e) {
            LOG.debug("cannot train a startup archive: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            try {
                Files.deleteIfExists(partial);
                Files.deleteIfExists(partial.resolveSibling(partial.getFileName() + ".config"));
            } catch (IOException e) {
                LOG.debug("cannot delete {}: {}", partial, e.toString());
            }
        }
    }

    /**
     * Deletes all but the {@link #KEPT_ARCHIVES} most recently written archives, and partial files more than an
     * hour old (left by a training JVM ended with its parent).
     */
    static void pruneOldest(Path directory) {
        try (java.util.stream.Stream<Path> files = Files.list(directory)) {
            long anHourAgo = System.currentTimeMillis() - 3_600_000;
            List<Path> archives = new ArrayList<>();
            for (Path file : files.toList()) {
                String name = file.getFileName().toString();
                if (name.endsWith(".jsa") || name.endsWith(".aot")) {
                    archives.add(file);
                } else if (file.toFile().lastModified() < anHourAgo) {
                    Files.deleteIfExists(file);
                }
            }
            archives.sort(java.util.Comparator.comparingLong((Path file) -> file.toFile().lastModified()).reversed());
            for (Path old : archives.subList(Math.min(KEPT_ARCHIVES, archives.size()), archives.size())) {
                Files.deleteIfExists(old);
            }
        } catch (IOException e) {
            LOG.debug("cannot prune startup archives in {}: {}", directory, e.toString());
        }
    }

    /** Jars only, including what their manifests' Class-Path adds: the JVM refuses directories in an archive. */
    private static boolean isArchivable(String classpath) {
        for (String entry : classpath.split(File.pathSeparator)) {
            Path path = Path.of(entry);
            if (!Files.isRegularFile(path)) {
                LOG.debug("no startup archive: {} on the classpath is not a jar", entry);
                return false;
            }
            try (JarFile jar = new JarFile(path.toFile())) {
                Manifest manifest = jar.getManifest();
                String extra = manifest == null ? null : manifest.getMainAttributes().getValue("Class-Path");
                if (extra != null && !extra.isBlank()) {
                    LOG.debug("no startup archive: {} extends the classpath through its manifest", entry);
                    return false;
                }
            } catch (IOException e) {
                LOG.debug("no startup archive: cannot read {}: {}", entry, e.toString());
                return false;
            }
        }
        return true;
    }

    /** The full version of a java binary, from its JDK's {@code release} file; null when it cannot be read. */
    static String javaVersion(String java) {
        if (Path.of(java).equals(Path.of(System.getProperty("java.home"), "bin", "java"))) {
            return Runtime.version().toString();
        }
        try {
            Path home = Path.of(java).toRealPath().getParent().getParent();
            Matcher matcher = RELEASE_VERSION.matcher(Files.readString(home.resolve("release")));
            return matcher.find() ? matcher.group(1) : null;
        } catch (IOException | RuntimeException e) {
            LOG.debug("no startup archive: cannot tell the version of {}: {}", java, e.toString());
            return null;
        }
    }

    /** Names what the archive depends on: the JDK, the JVM arguments, and every jar by path, size and time. */
    private static String key(String java, String version, LaunchSettings settings, String classpath) {
        StringBuilder text = new StringBuilder(java).append('\n').append(version).append('\n')
                .append(settings.childJvmArguments()).append('\n').append(settings.reducer()).append('\n');
        for (String entry : classpath.split(File.pathSeparator)) {
            File file = new File(entry);
            text.append(entry).append(' ').append(file.length()).append(' ').append(file.lastModified()).append('\n');
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.toString()
                    .getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
    }

    private static Path cacheDirectory() {
        String configured = System.getProperty(CACHE_DIR_PROPERTY);
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = configured != null ? Path.of(configured)
                : xdg != null && !xdg.isBlank() ? Path.of(xdg, "multiprocess")
                : Path.of(System.getProperty("user.home"), ".cache", "multiprocess");
        Path directory = base.resolve("startup");
        try {
            if (!Files.isDirectory(directory)) {
                Files.createDirectories(base);
                Files.createDirectories(directory,
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            return Files.isWritable(directory) ? directory : null;
        } catch (IOException | UnsupportedOperationException e) {
            LOG.debug("no startup archive: cannot use the cache directory {}: {}", directory, e.toString());
            return null;
        }
    }

    /** Flags for one launch, and the archive they use (to distrust it if the child dies at start-up). */
    record Use(List<String> flags, Path archive) {
        static final Use NONE = new Use(List.of(), null);
    }
}
