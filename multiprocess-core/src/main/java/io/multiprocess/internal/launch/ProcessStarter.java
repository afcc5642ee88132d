package io.multiprocess.internal.launch;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * A start method: how a process object gets a child JVM to run in. One implementation per method, as CPython
 * has one {@code popen_*} module per method.
 */
public interface ProcessStarter extends AutoCloseable {

    /** Finds or launches a child JVM and hands it the request. Returns without waiting for the target to run. */
    ChildJvm start(RunRequest request);

    /**
     * Hears which classes the process being started runs code of (its class, its target's class), so that JVMs
     * this starter prepares ahead can load them before they are needed. A supplier, so a starter that prepares
     * nothing ahead (spawn) does not pay for working them out.
     */
    default void expect(Supplier<List<String>> classNames) {
    }

    /**
     * Prepares {@code count} child JVMs ahead, so that the next {@code count} starts take one at once; completes
     * when they are ready. A starter that prepares nothing ahead (spawn) completes at once.
     */
    default CompletableFuture<Void> prewarm(int count) {
        return CompletableFuture.completedFuture(null);
    }

    /** Stops idle child JVMs this starter keeps (spares); children running processes are not touched. */
    @Override
    void close();

}
