package io.multiprocess.internal.launch;

import io.multiprocess.internal.MpLogger;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import org.slf4j.Logger;

/**
 * Recognizes an application started as a Spring Boot executable jar ({@code java -jar app.jar}): its classes and
 * libraries are nested inside the jar ({@code BOOT-INF/classes}, {@code BOOT-INF/lib}), where a plain
 * {@code -cp app.jar} cannot find them. A child JVM of such an application starts through the jar's own
 * {@code PropertiesLauncher} with {@code -Dloader.main=io.multiprocess.ChildMain}, so it sees exactly the classes
 * the parent sees, including the application's lambdas.
 *
 * <p>Read from the jar's manifest, without any dependency on Spring Boot: the launcher is the one the jar ships,
 * in the package of its {@code Main-Class}.
 */
final class BootJar {

    private static final Logger LOG = MpLogger.of(BootJar.class);
    private static final String LOADER_PACKAGE = "org.springframework.boot.loader.";
    private static final Map<String, Optional<String>> LAUNCHERS = new ConcurrentHashMap<>();

    private BootJar() {
    }

    /**
     * The launcher class to start a child with when {@code classpath} is a single Spring Boot executable jar, e.g.
     * {@code org.springframework.boot.loader.launch.PropertiesLauncher}; empty for any other classpath.
     */
    static Optional<String> launcherFor(String classpath) {
        return LAUNCHERS.computeIfAbsent(classpath, BootJar::readLauncher);
    }

    /** The system property that tells the launcher which main class to run. */
    static String mainClassProperty(String mainClass) {
        return "-Dloader.main=" + mainClass;
    }

    private static Optional<String> readLauncher(String classpath) {
        if (classpath.isEmpty() || classpath.contains(File.pathSeparator) || !classpath.endsWith(".jar")
                || !Files.isRegularFile(Path.of(classpath))) {
            return Optional.empty();
        }
        try (JarFile jar = new JarFile(classpath)) {
            Manifest manifest = jar.getManifest();
            String main = manifest == null ? null : manifest.getMainAttributes().getValue("Main-Class");
            if (main == null || !main.startsWith(LOADER_PACKAGE)) {
                return Optional.empty();
            }
            String launcher = main.substring(0, main.lastIndexOf('.') + 1) + "PropertiesLauncher";
            if (jar.getEntry(launcher.replace('.', '/') + ".class") == null) {
                LOG.warn("{} looks like a Spring Boot executable jar but has no {}; child JVMs will not find the "
                        + "application's classes", classpath, launcher);
                return Optional.empty();
            }
            LOG.debug("{} is a Spring Boot executable jar: child JVMs start through {}", classpath, launcher);
            return Optional.of(launcher);
        } catch (IOException e) {
            LOG.debug("cannot read the manifest of {}: {}", classpath, e.toString());
            return Optional.empty();
        }
    }
}
