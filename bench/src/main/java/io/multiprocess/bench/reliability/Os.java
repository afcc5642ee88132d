package io.multiprocess.bench.reliability;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * What the scenarios ask of Linux: signals the JDK cannot send (SIGSTOP), and a process's resident memory, threads
 * and open files from {@code /proc}, the figures {@code ps}, {@code top} and {@code ls /proc/PID/fd} show.
 */
final class Os {

    private Os() {
    }

    /** Sends {@code signal} (a name such as STOP, CONT, KILL) to {@code pid} with kill(1). */
    static void signal(long pid, String signal) throws IOException, InterruptedException {
        if (pid <= 1) {
            // kill(1) would signal a whole process group (0), every process (-1) or init: never what is meant.
            throw new IllegalArgumentException("refusing to send SIG" + signal + " to pid " + pid);
        }
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IOException("kill -" + signal + " " + pid + " failed");
        }
    }

    /** Kills {@code pid} if it is still there, for clean-up after a scenario that may have failed half-way. */
    static void killQuietly(long pid) {
        if (pid <= 1) {
            return;
        }
        ProcessHandle.of(pid).ifPresent(process -> {
            try {
                signal(pid, "CONT");
            } catch (IOException | InterruptedException e) {
                // Only clean-up: the SIGKILL below works on a stopped process too.
            }
            process.destroyForcibly();
        });
    }

    static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /**
     * Whether {@code process} still runs: not gone, and not a zombie. An orphan that has exited stays a zombie until
     * the machine's init reaps it, which here (a sandbox's init) takes about 1.5 s; Python's side counts the same.
     */
    static boolean running(ProcessHandle process) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
            return stat.charAt(stat.lastIndexOf(") ") + 2) != 'Z';
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** VmRSS of {@code pid} in KiB, or -1 when it is gone. */
    static long rssKib(long pid) {
        return statusField(pid, "VmRSS:");
    }

    /** The number of threads of {@code pid}, or -1 when it is gone. */
    static long threads(long pid) {
        return statusField(pid, "Threads:");
    }

    /** The number of open file descriptors of {@code pid}, or -1 when it is gone. */
    static long openFiles(long pid) {
        try (var entries = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            return entries.count();
        } catch (IOException | java.io.UncheckedIOException e) {
            return -1;
        }
    }

    private static long statusField(long pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
            return -1;
        } catch (NoSuchFileException e) {
            return -1;
        } catch (IOException e) {
            return -1;
        }
    }

    /** Every descendant of {@code pid} now, children and theirs. */
    static List<ProcessHandle> descendants(long pid) {
        return ProcessHandle.of(pid).map(p -> new ArrayList<>(p.descendants().toList())).orElseGet(ArrayList::new);
    }

    static String mib(long kib) {
        return kib < 0 ? "gone" : String.format(Locale.ROOT, "%.0f MiB", kib / 1024.0);
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
