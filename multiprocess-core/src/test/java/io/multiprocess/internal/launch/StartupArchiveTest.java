package io.multiprocess.internal.launch;

import static org.assertj.core.api.Assertions.assertThat;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.minlog.Log;
import com.esotericsoftware.reflectasm.ConstructorAccess;
import io.multiprocess.testing.ArchiveProbeMain;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.objenesis.Objenesis;

/** Child JVMs start from a class-data archive when the classpath allows it, and never depend on one. */
class StartupArchiveTest {

    @TempDir
    Path dir;

    @Test
    void aClasspathWithAClassDirectoryGetsNoArchive() throws Exception {
        Path classes = Files.createDirectory(dir.resolve("classes"));
        LaunchSettings settings = new LaunchSettings("spawn", "kryo", "", List.of(), List.of(), true);

        assertThat(StartupArchive.flagsFor(settings, JvmCommand.javaExecutable(settings), classes.toString()))
                .isEqualTo(StartupArchive.Use.NONE);
    }

    @Test
    void archivesCanBeSwitchedOff() throws Exception {
        Path jar = jarOf(dir.resolve("a.jar"), dir);
        LaunchSettings settings = new LaunchSettings("spawn", "kryo", "", List.of(), List.of(), false);

        assertThat(StartupArchive.flagsFor(settings, JvmCommand.javaExecutable(settings), jar.toString()))
                .isEqualTo(StartupArchive.Use.NONE);
    }

    @Test
    void anArchiveIsDroppedWhenAChildUsingItCrashedAtStartButNotWhenItWasKilled() throws Exception {
        Path archive = Files.writeString(dir.resolve("x.jsa"), "data");

        StartupArchive.distrustIfCrashed(archive, 128 + 9);
        assertThat(archive).exists();
        StartupArchive.distrustIfCrashed(archive, 128 + 6);
        assertThat(archive).doesNotExist();
    }

    @Test
    void onlyTheMostRecentArchivesAreKept() throws Exception {
        for (int i = 0; i < StartupArchive.KEPT_ARCHIVES + 3; i++) {
            Path archive = Files.writeString(dir.resolve(i + ".jsa"), "data");
            archive.toFile().setLastModified(1_000_000_000_000L + i * 1000L);
        }

        Path stalePartial = Files.writeString(dir.resolve("0.jsa.123.tmp"), "partial");
        stalePartial.toFile().setLastModified(1_000_000_000_000L);
        Path freshPartial = Files.writeString(dir.resolve("1.jsa.456.tmp"), "partial");

        StartupArchive.pruneOldest(dir);

        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(file -> file.getFileName().toString())).hasSize(StartupArchive.KEPT_ARCHIVES + 1)
                    .doesNotContain("0.jsa", "1.jsa", "2.jsa", "0.jsa.123.tmp").contains("10.jsa", "1.jsa.456.tmp");
        }
    }

    @Test
    void withJarsOnlyTheFirstChildTrainsAnArchiveAndLaterChildrenStartFromIt() throws Exception {
        Path cache = dir.resolve("cache");
        List<String> classpath = new ArrayList<>();
        classpath.add(jarOf(dir.resolve("core.jar"), codeSource(ChildJvm.class)).toString());
        classpath.add(jarOf(dir.resolve("tests.jar"), codeSource(ArchiveProbeMain.class)).toString());
        for (Class<?> dependency : List.of(Kryo.class, Objenesis.class, Log.class, ConstructorAccess.class,
                org.slf4j.Logger.class)) {
            classpath.add(codeSource(dependency).toString());
        }
        Path arguments = dir.resolve("arguments.txt");
        Process parent = new ProcessBuilder(JvmCommand.javaExecutable(new LaunchSettings("spawn", "kryo", "",
                List.of(), List.of(), true)), "-Dio.multiprocess.cache.dir=" + cache, "-cp",
                String.join(java.io.File.pathSeparator, classpath), ArchiveProbeMain.class.getName(),
                arguments.toString()).inheritIO().start();
        try {
            assertThat(parent.waitFor(180, TimeUnit.SECONDS)).isTrue();
            assertThat(parent.exitValue()).isZero();
        } finally {
            parent.destroyForcibly().waitFor();
        }

        List<Path> archives;
        try (Stream<Path> files = Files.list(cache.resolve("startup"))) {
            archives = files.filter(file -> !file.toString().endsWith(".tmp")).toList();
        }
        assertThat(archives).hasSize(1);
        String flag = archives.get(0).toString().endsWith(".aot") ? "-XX:AOTCache=" : "-XX:SharedArchiveFile=";
        assertThat(Files.readAllLines(arguments)).contains(flag + archives.get(0));
        assertThat(Files.getPosixFilePermissions(cache.resolve("startup"))).containsExactlyInAnyOrder(
                PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE);
    }

    private static Path codeSource(Class<?> type) throws URISyntaxException {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    /** A jar of a directory's files (or the jar itself, when given one). */
    private static Path jarOf(Path jar, Path source) throws IOException {
        if (Files.isRegularFile(source)) {
            return source;
        }
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
                Stream<Path> files = Files.walk(source)) {
            for (Path file : files.filter(Files::isRegularFile).filter(file -> !file.equals(jar)).toList()) {
                out.putNextEntry(new JarEntry(source.relativize(file).toString().replace('\\', '/')));
                Files.copy(file, out);
                out.closeEntry();
            }
        }
        return jar;
    }
}
