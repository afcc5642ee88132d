package io.multiprocess.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The baseline for {@code spawn}: a JVM that does nothing but record when its {@code main} runs. The gap between a
 * spawn start and this tells how much of a spawn start is the library and how much is the JVM booting.
 */
public final class BareMain {

    private BareMain() {
    }

    /** Writes {@link System#nanoTime()} into the file named by the only argument. */
    public static void main(String[] args) throws IOException {
        // Taken first, so the file write is not counted.
        long now = System.nanoTime();
        Files.writeString(Path.of(args[0]), Long.toString(now));
    }
}
