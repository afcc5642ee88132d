package io.multiprocess.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Reads a process's memory, threads and CPU time from Linux's {@code /proc}. */
final class ProcStatus {

    /** Clock ticks per second of {@code /proc/PID/stat}'s times: 100 on every Linux this runs on (USER_HZ). */
    private static final int TICKS_PER_SECOND = 100;

    private ProcStatus() {
    }

    /**
     * What a process costs the machine. {@code rssKib} counts every page it maps, shared ones whole (the figure
     * {@code ps} and {@code top} show); {@code pssKib} shares each shared page among the processes that map it;
     * {@code privateKib} counts only the pages no other process maps: what the machine gets back when it exits.
     */
    record Footprint(long rssKib, long pssKib, long privateKib, int threads, long cpuMillis) {
    }

    /** Resident, proportional and private memory (smaps_rollup), threads and CPU time of {@code pid}. */
    static Footprint footprint(long pid) throws IOException {
        Path proc = Path.of("/proc", Long.toString(pid));
        List<String> rollup = Files.readAllLines(proc.resolve("smaps_rollup"));
        List<String> status = Files.readAllLines(proc.resolve("status"));
        String stat = Files.readString(proc.resolve("stat"));
        // Fields after the command name, which may hold spaces: state is field 3, utime 14, stime 15.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        return new Footprint(field(rollup, "Rss:", pid), field(rollup, "Pss:", pid),
                field(rollup, "Private_Clean:", pid) + field(rollup, "Private_Dirty:", pid),
                (int) field(status, "Threads:", pid), ticks * 1000 / TICKS_PER_SECOND);
    }

    private static long field(List<String> lines, String name, long pid) throws IOException {
        for (String line : lines) {
            if (line.startsWith(name)) {
                return Long.parseLong(line.substring(name.length()).replaceAll("[^0-9]", ""));
            }
        }
        throw new IOException("no " + name + " line for process " + pid + " in /proc; is this Linux and is it alive?");
    }
}
