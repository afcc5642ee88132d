package io.multiprocess.internal.transport;

import io.multiprocess.internal.ExitSequence;
import io.multiprocess.internal.MpLogger;
import io.multiprocess.internal.ProcessStart;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.Comparator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;

/**
 * The directory holding this JVM's UNIX-domain sockets: created on first use, readable by the owning user only
 * (mode 0700, so no other local user can even connect; each socket in it 0600 too), and deleted when the JVM exits.
 *
 * <p>A JVM killed with SIGKILL cannot delete it, so its name says whose it is, {@code mp-<pid>-<start>-<random>}
 * (start: the process's start time, as the resource tracker records it, so that a reused pid is not taken for the
 * dead process), and each JVM, when it creates its own, deletes those of the same user whose process has ended:
 * the same sweep the resource tracker makes for shared-memory segments.
 *
 * <p>Kept short because a UNIX-domain socket path may not exceed about 108 bytes.
 */
public final class RuntimeDirectory {

    private static final int MAX_BASE_LENGTH = 60;
    private static final Pattern NAME = Pattern.compile("mp-(\\d+)-(\\d+)-\\d+");
    private static final Logger LOG = MpLogger.INSTANCE;
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
        long pid = ProcessHandle.current().pid();
        String prefix = "mp-" + pid + "-" + ProcessStart.of(pid).orElse(0L) + "-";
        try {
            sweep(base);
            Path dir = isPosix()
                    ? Files.createTempDirectory(base, prefix,
                            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")))
                    : Files.createTempDirectory(base, prefix);
            // Last, after the pools drained: their workers reach this JVM through the sockets in it until then.
            ExitSequence.register(ExitSequence.Phase.FILES, "runtime-directory", java.time.Duration.ofSeconds(1),
                    () -> delete(dir));
            return dir;
        } catch (IOException e) {
            String reason = e instanceof java.nio.file.FileSystemException failed && failed.getReason() != null
                    ? failed.getReason() : e.toString();
            throw new UncheckedIOException("cannot create a private directory for sockets under " + base + " ("
                    + reason + "); set java.io.tmpdir to a short writable directory", e);
        }
    }

    /**
     * Makes a socket file this JVM bound readable and writable by its owner only (0600). The directory already keeps
     * other users out; this keeps the socket private if it is ever moved or the directory's mode changed.
     */
    public static void ownerOnly(Path file) throws IOException {
        if (isPosix()) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        }
    }

    /**
     * Deletes the runtime directories under {@code base} of this user's processes that have ended.
     *
     * @return how many were deleted
     */
    static int sweep(Path base) {
        int swept = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(base, "mp-*")) {
            for (Path dir : entries) {
                if (sweepOne(dir)) {
                    swept++;
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("could not look for runtime directories of ended processes in {}: {}", base, e.toString());
        }
        return swept;
    }

    private static boolean sweepOne(Path dir) {
        Matcher name = NAME.matcher(dir.getFileName().toString());
        if (!name.matches()) {
            return false;
        }
        try {
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)
                    || !Files.getOwner(dir, LinkOption.NOFOLLOW_LINKS).equals(currentUser(dir))
                    || ProcessStart.isAlive(Long.parseLong(name.group(1)), Long.parseLong(name.group(2)))) {
                return false;
            }
        } catch (IOException | RuntimeException e) {
            return false;
        }
        delete(dir);
        LOG.debug("deleted {}, the runtime directory of an ended process", dir);
        return !Files.exists(dir, LinkOption.NOFOLLOW_LINKS);
    }

    private static UserPrincipal currentUser(Path dir) throws IOException {
        return dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(
                System.getProperty("user.name"));
    }

    private static boolean isPosix() {
        return java.nio.file.FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }

    private static void delete(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            // Files.walk does not follow links, so a link planted inside never leads the deletion elsewhere.
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // Best effort at exit: the directory is private and empty sockets do no harm.
        }
    }
}
