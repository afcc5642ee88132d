package io.multiprocess.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.multiprocess.Diagnostics;
import java.time.Duration;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * After each test, no child JVM of this test JVM is left: an application context closed by its runner must have
 * ended every worker it launched (waiting up to 20 s for their exits to be seen).
 *
 * <pre>{@code
 * @ExtendWith(NoWorkerOutlivesItsTest.class)
 * class MyAutoConfigurationTest { ... }
 * }</pre>
 */
public final class NoWorkerOutlivesItsTest implements AfterEachCallback {

    @Override
    public void afterEach(ExtensionContext context) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!Diagnostics.liveChildJvms().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(Diagnostics.liveChildJvms()).as("child JVMs left by the application context").isEmpty();
    }
}
