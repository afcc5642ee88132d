package io.multiprocess.sharedmemory;

import io.multiprocess.internal.LibraryTimer;
import io.multiprocess.internal.MpLogger;
import io.multiprocess.internal.ProcessStart;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;

/**
 * Removes the tracked segments of a process that ended without removing them (SIGKILL, a crash): Python's
 * {@code resource_tracker}, without a tracker process.
 *
 * <p>Each JVM that creates a tracked segment keeps a <b>registry file</b> next to the segments,
 * {@code mp-tracker-<pid>-<start>} (mode 0600), and appends to it: {@code segment NAME} when it creates one,
 * {@code unlinked NAME} before it unlinks one, {@code child PID START} for each child JVM it launches (and those
 * alive when the file is made). A JVM that exits in order unlinks its tracked segments and deletes its registry in a
 * shutdown hook. When it cannot (SIGKILL), its registry stays, and a <b>sweep</b> finds it: a registry whose process
 * has ended (by pid and start time, so a reused pid is not mistaken for it), and all of whose children have ended
 * too, has its remaining segments unlinked and is deleted. A registry whose children still run is looked at again
 * later. Sweeps run in the parent whenever one of its child JVMs exits (again every 250 ms for up to two minutes
 * while a dead process's children still run), and in every JVM when it first creates a tracked segment (leftovers of
 * a process tree that died whole).
 *
 * <p>Why not a tracker process, as Python? A JVM cannot pass it a pipe to watch (no fork, no fd passing), so a
 * tracker would have to learn of deaths by polling pids, which the processes of the tree can do themselves; and
 * a tracker child JVM would die with a SIGKILLed root like every other child. The registries are plain files of
 * the same user, trusted as the segments are.
 *
 * <p>Internal: {@link SharedMemory} and the process launcher call it.
 */
public final class ResourceTracker {

    private static final Logger LOG = MpLogger.of(ResourceTracker.class);
    static final String PREFIX = "mp-tracker-";
    private static final long RETRY_MILLIS = 250;
    private static final long RETRY_FOR_MILLIS = 120_000;

    private static final long PID = ProcessHandle.current().pid();
    private static final long START = ProcessStart.of(PID).orElse(0L);
    private static final Set<Long> CHILDREN = new LinkedHashSet<>();
    private static Path registry;
    private static long retryUntil;
    private static boolean retrying;

    private ResourceTracker() {
    }

    /** Records a new tracked segment of this JVM. */
    static synchronized void created(Path segment) {
        if (registry == null) {
            Path dir = segment.getParent();
            registry = dir.resolve(PREFIX + PID + "-" + START);
            StringBuilder lines = new StringBuilder();
            for (long child : CHILDREN) {
                ProcessStart.of(child).ifPresent(start -> lines.append("child ").append(child).append(' ')
                        .append(start).append('\n'));
            }
            append(lines.append("segment ").append(segment.getFileName()).append('\n').toString());
            scheduleSweep(0);
            return;
        }
        append("segment " + segment.getFileName() + "\n");
    }

    /** Records that a tracked segment of this JVM is about to be unlinked by it. */
    static synchronized void unlinking(Path segment) {
        if (registry != null) {
            append("unlinked " + segment.getFileName() + "\n");
        }
    }

    /** At orderly exit, after this JVM unlinked its tracked segments: its registry is no longer needed. */
    static synchronized void exiting() {
        if (registry != null) {
            try {
                Files.deleteIfExists(registry);
            } catch (IOException e) {
                // Best effort at exit; a later sweep removes it.
            }
            registry = null;
        }
    }

    /** The process launcher started child JVM {@code pid}: segments of this JVM outlive it only while it runs. */
    public static synchronized void childLaunched(long pid) {
        CHILDREN.add(pid);
        if (registry != null) {
            ProcessStart.of(pid).ifPresent(start -> append("child " + pid + " " + start + "\n"));
        }
    }

    /** A child JVM of this JVM exited: sweep, in case it (or one of its children) left tracked segments. */
    public static synchronized void childExited(long pid) {
        CHILDREN.remove(pid);
        retryUntil = System.currentTimeMillis() + RETRY_FOR_MILLIS;
        scheduleSweep(0);
    }

    /**
     * Sweeps now: removes the segments and registries of ended processes whose children have ended too.
     *
     * @return how many registries still wait for children of an ended process
     */
    public static int sweep() {
        Path dir = SegmentDirectory.get();
        int waiting = 0;
        try (DirectoryStream<Path> registries = Files.newDirectoryStream(dir, PREFIX + "*")) {
            for (Path file : registries) {
                waiting += sweep(file) ? 0 : 1;
            }
        } catch (IOException e) {
            LOG.debug("could not sweep {} for segments of ended processes", dir, e);
        }
        return waiting;
    }

    /** Sweeps one registry; false if its process's children still run (look again later). */
    private static boolean sweep(Path file) throws IOException {
        String[] owner = file.getFileName().toString().substring(PREFIX.length()).split("-");
        long pid;
        long start;
        try {
            pid = Long.parseLong(owner[0]);
            start = Long.parseLong(owner[1]);
        } catch (RuntimeException e) {
            return true;
        }
        if (ProcessStart.isAlive(pid, start)) {
            return true;
        }
        Integer uid = SegmentDirectory.ownerId(file);
        if (uid != null && !uid.equals(SegmentDirectory.userId())) {
            return true;
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return true;
        }
        Set<String> segments = new LinkedHashSet<>();
        List<long[]> children = new ArrayList<>();
        for (String line : lines) {
            String[] words = line.split(" ");
            if (words.length == 2 && words[0].equals("segment")) {
                segments.add(words[1]);
            } else if (words.length == 2 && words[0].equals("unlinked")) {
                segments.remove(words[1]);
            } else if (words.length == 3 && words[0].equals("child")) {
                try {
                    children.add(new long[] {Long.parseLong(words[1]), Long.parseLong(words[2])});
                } catch (NumberFormatException e) {
                    // A torn last line of a killed process: ignore it.
                }
            }
        }
        for (long[] child : children) {
            if (ProcessStart.isAlive(child[0], child[1])) {
                return false;
            }
        }
        Path dir = file.getParent();
        for (String name : segments) {
            if (SharedMemory.isValidName(name) && Files.deleteIfExists(dir.resolve(name))) {
                LOG.debug("removed shared memory segment {} left by ended process {}", name, pid);
            }
        }
        Files.deleteIfExists(file);
        return true;
    }

    private static void scheduleSweep(long delayMillis) {
        LibraryTimer.scheduleHandOff(ResourceTracker::sweepAndRetry, delayMillis, TimeUnit.MILLISECONDS);
    }

    private static void sweepAndRetry() {
        int waiting = sweep();
        synchronized (ResourceTracker.class) {
            if (waiting > 0 && !retrying && System.currentTimeMillis() < retryUntil) {
                retrying = true;
                LibraryTimer.scheduleHandOff(() -> {
                    synchronized (ResourceTracker.class) {
                        retrying = false;
                    }
                    sweepAndRetry();
                }, RETRY_MILLIS, TimeUnit.MILLISECONDS);
            }
        }
    }

    private static void append(String lines) {
        FileAttribute<?>[] attributes = SegmentDirectory.isPosix()
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(
                        "rw-------"))}
                : new FileAttribute<?>[0];
        try (FileChannel channel = FileChannel.open(registry, Set.of(StandardOpenOption.CREATE,
                StandardOpenOption.APPEND, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS), attributes)) {
            channel.write(ByteBuffer.wrap(lines.getBytes(StandardCharsets.UTF_8)));
        } catch (IOException e) {
            LOG.warn("cannot record tracked shared memory in {}: {}; if this process is killed, its segments stay"
                    + " in {}", registry, e.toString(), registry.getParent());
        }
    }
}
