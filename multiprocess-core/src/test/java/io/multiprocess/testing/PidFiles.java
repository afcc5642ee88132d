package io.multiprocess.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** Tasks that tell a test which worker runs them write their pid to a file; this waits for it. */
public final class PidFiles {

    private PidFiles() {
    }

    /** The pid written to {@code file}, once the task that writes it has started (within 60 s). */
    public static long awaitPid(Path file) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(file) && !Files.readString(file).isEmpty()) {
                return Long.parseLong(Files.readString(file).trim());
            }
            Thread.sleep(10);
        }
        throw new AssertionError("the task did not start: " + file);
    }
}
