package io.multiprocess.internal.launch;

import io.multiprocess.internal.ExitSequence;
import io.multiprocess.internal.LibraryThreads;
import io.multiprocess.internal.MpLogger;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.BlockingDeque;
import java.util.concurrent.CompletableFuture;
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
    /** How many spares to keep ready. */
    private final int spares;
    /** Spares booted ahead by {@link #prewarm} beyond {@link #spares}, not replaced once taken; guarded by prewarms. */
    private int extra;
    /** Who waits for how many spares to be ready; guarded by itself. */
    private final List<Prewarm> prewarms = new ArrayList<>();
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
        if (child != null) {
            synchronized (prewarms) {
                if (extra > 0) {
                    extra--;
                }
            }
            // Fewer are wanted now: a wait for the ones just taken would otherwise never end.
            settlePrewarms(null);
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

    /**
     * Launches the spares missing for {@code count} to be ready at once, all booting side by side; completes when
     * {@code count} are ready, or fails when spares keep dying before they are ready. Those beyond the number kept
     * are not replaced once taken: a burst prepared ahead, not a larger standing pool of idle JVMs.
     */
    @Override
    public CompletableFuture<Void> prewarm(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("prewarm needs at least 1 JVM, got " + count);
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        synchronized (prewarms) {
            extra = Math.max(extra, count - spares);
            prewarms.add(new Prewarm(count, done));
        }
        if (closed) {
            settlePrewarms(new IllegalStateException("the context was closed"));
            return done;
        }
        consecutiveFailures.set(0);
        replenish();
        settlePrewarms(null);
        return done;
    }

    /**
     * Completes the waits whose spares are ready: {@code count}, or all that are still wanted when some were taken
     * meanwhile. Fails all of them with {@code failure}.
     */
    private void settlePrewarms(RuntimeException failure) {
        List<Prewarm> settled = new ArrayList<>();
        synchronized (prewarms) {
            int wanted = spares + extra;
            prewarms.removeIf(prewarm -> {
                if (failure != null || ready.size() >= Math.min(prewarm.count(), wanted)) {
                    settled.add(prewarm);
                    return true;
                }
                return false;
            });
        }
        for (Prewarm prewarm : settled) {
            if (failure == null) {
                prewarm.done().complete(null);
            } else {
                prewarm.done().completeExceptionally(failure);
            }
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
        settlePrewarms(new IllegalStateException("the context was closed before its spares were ready"));
    }

    private record Prewarm(int count, CompletableFuture<Void> done) {
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
        while (!closed && !ExitSequence.isExiting() && ready.size() + launching.get() < wanted()
                && consecutiveFailures.get() < MAX_CONSECUTIVE_FAILURES) {
            launching.incrementAndGet();
            try {
                ChildJvm spare = ChildLauncher.launch(settings, ControlServer.get(), this::spareReady, loadAhead());
                spare.onExit().whenComplete((code, error) -> spareExited(spare));
            } catch (RuntimeException e) {
                launching.decrementAndGet();
                LOG.warn("cannot launch a forkserver spare JVM: {}", e.getMessage());
                if (consecutiveFailures.incrementAndGet() >= MAX_CONSECUTIVE_FAILURES) {
                    settlePrewarms(new IllegalStateException("cannot launch forkserver spare JVMs: "
                            + e.getMessage(), e));
                }
            }
        }
    }

    private int wanted() {
        synchronized (prewarms) {
            return spares + extra;
        }
    }

    private void spareReady(ChildJvm spare) {
        launching.decrementAndGet();
        consecutiveFailures.set(0);
        if (closed) {
            spare.kill();
        } else {
            ready.addLast(spare);
            settlePrewarms(null);
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
            String why = spare.fault() != null ? spare.fault().getMessage()
                    : "its stderr ended with: " + spare.stderrTail();
            LOG.warn("a forkserver spare JVM (pid {}) exited before it was ready; {}", spare.pid(), why);
            if (consecutiveFailures.get() >= MAX_CONSECUTIVE_FAILURES) {
                settlePrewarms(new IllegalStateException(MAX_CONSECUTIVE_FAILURES + " spare JVMs in a row exited "
                        + "before they were ready; the last: " + why));
            }
            replenish();
        }
    }
}
