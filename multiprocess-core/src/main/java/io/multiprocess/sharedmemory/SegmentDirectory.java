package io.multiprocess.sharedmemory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Where segment files live: {@code /dev/shm} when it exists and is writable (a tmpfs: memory only, never written
 * back to a disk), else a directory private to the user (mode 0700) under {@code java.io.tmpdir}. Chosen once per
 * JVM; every process of the same user on the machine chooses the same one, which is how a name is found again.
 */
final class SegmentDirectory {

    static final Set<PosixFilePermission> PRIVATE_DIRECTORY = PosixFilePermissions.fromString("rwx------");

    private static volatile Path directory;
    private static volatile Integer userId;

    private SegmentDirectory() {
    }

    static Path get() {
        Path dir = directory;
        if (dir == null) {
            synchronized (SegmentDirectory.class) {
                dir = directory;
                if (dir == null) {
                    dir = choose(Path.of("/dev/shm"), Path.of(System.getProperty("java.io.tmpdir", "/tmp")));
                    directory = dir;
                }
            }
        }
        return dir;
    }

    /** {@code shm} if usable, else the user's private directory under {@code tmp}, created if needed. */
    static Path choose(Path shm, Path tmp) {
        if (Files.isDirectory(shm) && Files.isWritable(shm)) {
            return shm;
        }
        Path dir = tmp.resolve("multiprocess-shm-" + userName());
        try {
            if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
                try {
                    Files.createDirectory(dir, isPosix() ? new java.nio.file.attribute.FileAttribute<?>[] {
                        PosixFilePermissions.asFileAttribute(PRIVATE_DIRECTORY)}
                            : new java.nio.file.attribute.FileAttribute<?>[0]);
                } catch (java.nio.file.FileAlreadyExistsException raced) {
                    // Another process of ours created it meanwhile; checked below like any existing one.
                }
            }
            checkPrivate(dir);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot use " + dir + " as the private directory for shared memory"
                    + " segments (there is no writable /dev/shm): " + e.getMessage() + "; or set java.io.tmpdir to"
                    + " another writable directory", e);
        }
    }

    /** Refuses a directory another user could write to or replace: it must be ours, a real directory, 0700. */
    private static void checkPrivate(Path dir) throws IOException {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException(dir + " exists but is not a directory; remove it");
        }
        if (!isPosix()) {
            return;
        }
        Integer owner = ownerId(dir);
        if (owner != null && !owner.equals(userId())) {
            throw new IOException(dir + " belongs to another user; remove it or set java.io.tmpdir elsewhere");
        }
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS);
        if (!permissions.equals(PRIVATE_DIRECTORY)) {
            throw new IOException(dir + " has mode " + PosixFilePermissions.toString(permissions)
                    + " instead of rwx------; run chmod 700 on it");
        }
    }

    /** The numeric owner of a file, or null where the file system has no "unix" view. */
    static Integer ownerId(Path file) throws IOException {
        if (!FileSystems.getDefault().supportedFileAttributeViews().contains("unix")) {
            return null;
        }
        return (Integer) Files.getAttribute(file, "unix:uid", LinkOption.NOFOLLOW_LINKS);
    }

    /** This process's user id, read from a file it creates (no native call needed); null without a "unix" view. */
    static Integer userId() throws IOException {
        Integer id = userId;
        if (id == null && FileSystems.getDefault().supportedFileAttributeViews().contains("unix")) {
            Path probe = Files.createTempFile("multiprocess-uid", ".probe");
            try {
                id = ownerId(probe);
            } finally {
                Files.deleteIfExists(probe);
            }
            userId = id;
        }
        return id;
    }

    static boolean isPosix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }

    private static String userName() {
        String name = System.getProperty("user.name", "user").replaceAll("[^A-Za-z0-9._-]", "_");
        return name.isEmpty() ? "user" : name;
    }
}
