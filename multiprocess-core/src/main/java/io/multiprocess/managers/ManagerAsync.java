package io.multiprocess.managers;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/** Runs a blocking proxy call on a daemon thread of its own and completes a future with its outcome. */
final class ManagerAsync {

    private static final AtomicInteger THREADS = new AtomicInteger();

    private ManagerAsync() {
    }

    static <R> CompletableFuture<R> supply(Supplier<R> call, String what) {
        CompletableFuture<R> future = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                future.complete(call.get());
            } catch (Throwable e) {
                future.completeExceptionally(e);
            }
        }, "multiprocess-manager-" + what + "-" + THREADS.incrementAndGet());
        thread.setDaemon(true);
        thread.start();
        return future;
    }
}
