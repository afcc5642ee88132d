package io.multiprocess.bench;

import io.multiprocess.Diagnostics;
import java.time.Duration;

/**
 * Waits until no child JVM of this process is still booting. A forkserver context replaces each spare it hands
 * out by booting another in the background; measured work started during that boot would share the CPUs with it,
 * and on a small machine the figure would be the boot's, not the work's.
 */
final class BootedChildren {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private BootedChildren() {
    }

    static void await() throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (Diagnostics.liveChildJvms().stream().anyMatch(child -> !child.ready())) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("child JVMs still booting after " + TIMEOUT.toSeconds() + " s");
            }
            Thread.sleep(10);
        }
    }
}
