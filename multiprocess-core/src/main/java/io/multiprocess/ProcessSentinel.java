package io.multiprocess;

import io.multiprocess.connection.Waitable;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/** {@link MpProcess#sentinel()}: ready once the process has exited. */
final class ProcessSentinel implements Waitable {

    private final String name;
    private final CompletableFuture<?> exit;
    private final Queue<OneShot> waiters = new ConcurrentLinkedQueue<>();

    ProcessSentinel(String name, CompletableFuture<?> exit) {
        this.name = name;
        this.exit = exit;
        exit.whenComplete((result, error) -> fire());
    }

    @Override
    public boolean isReady() {
        return exit.isDone();
    }

    @Override
    public AutoCloseable whenReady(Runnable action) {
        OneShot waiter = new OneShot(action);
        waiters.add(waiter);
        // Added before checking: an exit after this check finds the waiter.
        if (exit.isDone()) {
            fire();
        }
        return () -> waiters.remove(waiter);
    }

    @Override
    public String toString() {
        return "sentinel of " + name + (exit.isDone() ? " (exited)" : "");
    }

    private void fire() {
        OneShot waiter;
        while ((waiter = waiters.poll()) != null) {
            waiter.run();
        }
    }

    private static final class OneShot {
        private final Runnable action;
        private final AtomicBoolean done = new AtomicBoolean();

        OneShot(Runnable action) {
            this.action = action;
        }

        void run() {
            if (done.compareAndSet(false, true)) {
                action.run();
            }
        }
    }
}
