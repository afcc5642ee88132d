package io.multiprocess.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.multiprocess.internal.launch.ChildJvm;
import io.multiprocess.internal.launch.LiveChildren;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Registered for every test class (service loader + autodetection): after a class, no process this JVM started
 * may still be alive, except idle forkserver spares, which the library keeps on purpose and ends at exit. A test
 * that leaks a child JVM, or any other process, fails its class here.
 */
public final class NoLeakedChildJvms implements AfterAllCallback {

    private static final Duration GRACE = Duration.ofSeconds(10);

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        long deadline = System.nanoTime() + GRACE.toNanos();
        List<ProcessHandle> leaked = leaked();
        while (!leaked.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50);
            leaked = leaked();
        }
        assertThat(leaked).as("processes started by %s and still alive %s later", context.getDisplayName(), GRACE)
                .extracting(handle -> handle.pid() + " " + handle.info().commandLine().orElse("?"))
                .isEmpty();
    }

    private static List<ProcessHandle> leaked() {
        Set<Long> spares = LiveChildren.all().stream().filter(ChildJvm::isIdleSpare).map(ChildJvm::pid)
                .collect(Collectors.toSet());
        return ProcessHandle.current().children().filter(ProcessHandle::isAlive)
                .filter(handle -> !spares.contains(handle.pid())).toList();
    }
}
