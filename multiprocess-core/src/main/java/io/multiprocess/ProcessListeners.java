package io.multiprocess;

import io.multiprocess.internal.launch.ChildJvm;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The {@link ProcessListener}s of a context (shared with the contexts derived from it), and telling them. */
final class ProcessListeners {

    private final List<ProcessListener> listeners = new CopyOnWriteArrayList<>();

    /** Adding a listener again has no effect: contexts derived from one share its listeners. */
    void add(ProcessListener listener) {
        ((CopyOnWriteArrayList<ProcessListener>) listeners).addIfAbsent(listener);
    }

    void remove(ProcessListener listener) {
        listeners.remove(listener);
    }

    /** Tells every listener when {@code process}, just launched as {@code child}, runs and when it exits. */
    void tell(MpProcess process, ChildJvm child, String startMethod, long startCalledNanos) {
        if (listeners.isEmpty()) {
            return;
        }
        child.running().thenRun(() -> {
            Duration startDuration = Duration.ofNanos(System.nanoTime() - startCalledNanos);
            each(listener -> listener.processStarted(process, startMethod, startDuration));
        });
        process.onExit().thenAccept(code -> each(listener -> listener.processExited(process, startMethod, code)));
    }

    private void each(java.util.function.Consumer<ProcessListener> call) {
        for (ProcessListener listener : listeners) {
            try {
                call.accept(listener);
            } catch (RuntimeException e) {
                Multiprocess.getLogger().warn("a process listener failed: {}", e.toString());
            }
        }
    }
}
