package io.multiprocess.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * When a process started, which tells a process from a later one that got its pid: what the resource tracker, the
 * runtime directory sweep and the owner-death rule of locks compare. One reading of {@code /proc} for all of them.
 */
public final class ProcessStart {

    private static final boolean PROC = Files.isReadable(Path.of("/proc/self/stat"));

    private ProcessStart() {
    }

    /**
     * The start time of live process {@code pid}: {@code /proc/<pid>/stat} field 22, in clock ticks since boot, or
     * else the JDK's start instant in ms; 0 if it runs but its start is unknown; empty if there is no such process
     * or it is a zombie.
     */
    public static Optional<Long> of(long pid) {
        if (!PROC) {
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                    .map(h -> h.info().startInstant().map(Instant::toEpochMilli).orElse(0L));
        }
        String stat;
        try {
            stat = new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "stat")),
                    StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            // Readable for any process of ours; something else (a race with its exit): ask the JDK instead.
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).map(h -> 0L);
        }
        // State is field 3 and the start time field 22, counted after the ")" that ends the command's name.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        char state = fields[0].isEmpty() ? '?' : fields[0].charAt(0);
        if (state == 'Z' || state == 'X' || state == 'x') {
            return Optional.empty();
        }
        try {
            return Optional.of(Long.parseLong(fields[22 - 3]));
        } catch (RuntimeException e) {
            return Optional.of(0L);
        }
    }

    /** Whether {@code pid} runs and started at {@code start} (0 on either side: unknown, any start matches). */
    public static boolean isAlive(long pid, long start) {
        if (pid == ProcessHandle.current().pid()) {
            return true;
        }
        Optional<Long> current = of(pid);
        return current.isPresent() && (start == 0 || current.get() == 0 || current.get() == start);
    }
}
