package io.multiprocess.connection;

import io.multiprocess.internal.ExitSequence;
import java.time.Duration;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The directory holding this JVM's UNIX-domain sockets: created on first use, readable by the owning user only
 * (mode 0700, so no other local user can even connect), and deleted when the JVM exits.
 *
 * <p>Kept short because a UNIX-domain socket path may not exceed about 108 bytes.
 */
public final class RuntimeDirectory {

    private static final int MAX_BASE_LENGTH = 60;
    private static volatile Path directory;

    private RuntimeDirectory() {
    }

    /** The directory, created if needed. */
    public static Path get() {
        Path dir = directory;
        if (dir == null) {
            synchronized (RuntimeDirectory.class) {
                dir = directory;
                if (dir == null) {
                    dir = create();
                    directory = dir;
                }
            }
        }
        return dir;
    }

    private static Path create() {
        String tmp = System.getProperty("java.io.tmpdir", "/tmp");
        Path base = Path.of(tmp.length() <= MAX_BASE_LENGTH ? tmp : "/tmp");
        try {
            Path dir = isPosix()
                    ? Files.createTempDirectory(base, "mp-",
                            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")))
                    : Files.createTempDirectory(base, "mp-");
            // Last, after the pools drained: their workers reach this JVM through the sockets in it until then.
            ExitSequence.register(ExitSequence.Phase.FILES, "runtime-directory", Duration.ofSeconds(1),
                    () -> delete(dir));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a private directory for sockets under " + base
                    + "; set java.io.tmpdir to a short writable directory", e);
        }
    }

    private static boolean isPosix() {
        return java.nio.file.FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }

    private static void delete(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // Best effort at exit: the directory is private and empty sockets do no harm.
        }
    }
}
