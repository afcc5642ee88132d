package io.multiprocess.internal.launch;

import io.multiprocess.internal.ExitSequence;
import io.multiprocess.internal.LibraryThreads;
import io.multiprocess.internal.MpLogger;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.BlockingDeque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;

/**
 * {@code forkserver} on the JVM: a JVM cannot fork, so this keeps warm spare JVMs instead. Each spare has
 * started, authenticated, loaded and initialized the preload classes and warmed up the reducer, and waits for a
 * process object; {@link #start} hands one over at once and, once that process runs, launches a replacement in
 * the background.
 *
 * <p>Spares are launched on first use, not before. When none is ready (a burst of starts), the process is
 * handed to a JVM launched for it, exactly as spawn would.
 */
public final class ForkServerStarter implements ProcessStarter {

    private static final Logger LOG = MpLogger.INSTANCE;
    /** After this many spares die before becoming ready, stop replacing them: the settings are likely wrong. */
    private static final int MAX_CONSECUTIVE_FAILURES = 3;
    /** How many of the classes recent processes ran code of the next spares load ahead. */
    private static final int MAX_LOADED_AHEAD = 32;

    private final LaunchSettings settings;
    private final int spares;
    private final BlockingDeque<ChildJvm> ready = new LinkedBlockingDeque<>();
    private final AtomicInteger launching = new AtomicInteger();
    private final AtomicInteger consecutiveFailures = new AtomicInteger();
    private final ExecutorService launcher =
            Executors.newSingleThreadExecutor(LibraryThreads.factory("multiprocess-forkserver"));
    /** Classes that processes started here ran code of, most recent last; guarded by itself. */
    private final LinkedHashSet<String> expected = new LinkedHashSet<>();
    private volatile boolean closed;

    public ForkServerStarter(LaunchSettings settings, int spares) {
        if (spares < 1) {
            throw new IllegalArgumentException("forkserver needs at least 1 spare JVM, got " + spares);
        }
        this.settings = settings;
        this.spares = spares;
    }

    @Override
    public ChildJvm start(RunRequest request) {
        ChildJvm child = ready.pollFirst();
        while (child != null && !child.isAlive()) {
            child = ready.pollFirst();
        }
        if (child == null) {
            child = ChildLauncher.launch(settings, ControlServer.get(), null);
        }
        child.run(request);
        // The replacement boots once the hand-off is done: on two cores a booting JVM would slow the hand-off.
        child.running().whenComplete((started, error) -> replenish());
        return child;
    }

    /**
     * Spares launched from now on load these classes before they report READY (loaded and linked, not
     * initialized, so no user code runs early): a service that starts the same kind of process again finds its
     * classes already in the spare, as Python's forkserver has {@code __main__} imported.
     */
    @Override
    public void expect(Supplier<List<String>> classNames) {
        List<String> names = classNames.get();
        synchronized (expected) {
            for (String name : names) {
                expected.remove(name);
                expected.add(name);
            }
            while (expected.size() > MAX_LOADED_AHEAD) {
                expected.remove(expected.iterator().next());
            }
        }
    }

    private List<String> loadAhead() {
        synchronized (expected) {
            return List.copyOf(expected);
        }
    }

    @Override
    public void close() {
        closed = true;
        launcher.shutdown();
        ChildJvm spare;
        while ((spare = ready.pollFirst()) != null) {
            spare.kill();
        }
    }

    private void replenish() {
        if (closed || ExitSequence.isExiting()) {
            return;
        }
        try {
            launcher.execute(this::launchSpares);
        } catch (RejectedExecutionException e) {
            // Closed meanwhile: no spares are wanted any more.
        }
    }

    private void launchSpares() {
        while (!closed && !ExitSequence.isExiting() && ready.size() + launching.get() < spares
                && consecutiveFailures.get() < MAX_CONSECUTIVE_FAILURES) {
            launching.incrementAndGet();
            try {
                ChildJvm spare = ChildLauncher.launch(settings, ControlServer.get(), this::spareReady, loadAhead());
                spare.onExit().whenComplete((code, error) -> spareExited(spare));
            } catch (RuntimeException e) {
                launching.decrementAndGet();
                consecutiveFailures.incrementAndGet();
                LOG.warn("cannot launch a forkserver spare JVM: {}", e.getMessage());
            }
        }
    }

    private void spareReady(ChildJvm spare) {
        launching.decrementAndGet();
        consecutiveFailures.set(0);
        if (closed) {
            spare.kill();
        } else {
            ready.addLast(spare);
        }
    }

    private void spareExited(ChildJvm spare) {
        if (ready.remove(spare) || (spare.isIdleSpare() && spare.isReady())) {
            replenish();
        } else if (spare.isIdleSpare()) {
            // Died before it was ready: a crash at start-up, or killed from outside.
            launching.decrementAndGet();
            consecutiveFailures.incrementAndGet();
            if (closed || LiveChildren.exiting()) {
                // Stopped on purpose, while it was still booting.
                LOG.debug("a forkserver spare JVM (pid {}) was stopped while it booted", spare.pid());
                return;
            }
            LOG.warn("a forkserver spare JVM (pid {}) exited before it was ready; {}", spare.pid(),
                    spare.fault() != null ? spare.fault().getMessage()
                            : "its stderr ended with: " + spare.stderrTail());
            replenish();
        }
    }
}
