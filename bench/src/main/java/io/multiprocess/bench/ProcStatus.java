package io.multiprocess.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads a process's resident memory from Linux's {@code /proc}; the figure {@code ps} and {@code top} show. */
final class ProcStatus {

    private ProcStatus() {
    }

    /** VmRSS of {@code pid} in KiB. */
    static long rssKib(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IOException("no VmRSS line in /proc/" + pid + "/status; is this Linux and is the process alive?");
    }
}
