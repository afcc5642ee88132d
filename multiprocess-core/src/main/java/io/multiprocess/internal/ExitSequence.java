package io.multiprocess.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * The library's one shutdown hook, and the order in which it ends things when the JVM exits (System.exit, the end
 * of {@code main}, SIGTERM, SIGINT, SIGHUP):
 *
 * <ol>
 *   <li>{@link Phase#POOLS}: each open pool does what its exit policy says (terminated, drained for a grace
 *       period, or left to its owner, such as Spring's lifecycle, to close gracefully), all pools at once;</li>
 *   <li>{@link Phase#CHILDREN}: daemonic child processes and idle spares that are left are terminated (SIGTERM,
 *       then SIGKILL after 1 s), as Python terminates daemonic children at exit;</li>
 *   <li>{@link Phase#FILES}: shared-memory segments this JVM created and its runtime directory (sockets) are
 *       removed.</li>
 * </ol>
 *
 * <p>Why one hook and not one per mechanism: the JVM runs shutdown hooks concurrently and in no order, so a hook
 * that terminated daemonic children killed pool workers while a graceful shutdown was still waiting for their
 * tasks, and a hook that deleted the sockets cut off workers still draining. Every action of a phase runs on a
 * thread of its own, so two pools draining for 15 s take 15 s, not 30; a phase waits for its actions no longer
 * than the longest budget they declared (plus a margin), so a stuck action cannot keep the JVM from exiting.
 */
public final class ExitSequence {

    /** The phases, in the order they run. */
    public enum Phase { POOLS, CHILDREN, FILES }

    private static final Logger LOG = MpLogger.INSTANCE;
    private static final Duration MARGIN = Duration.ofSeconds(2);
    private static final AtomicLong IDS = new AtomicLong();
    private static final Map<Phase, Map<Long, Action>> ACTIONS = new ConcurrentHashMap<>();
    private static volatile boolean exiting;

    static {
        for (Phase phase : Phase.values()) {
            ACTIONS.put(phase, new ConcurrentHashMap<>());
        }
        Runtime.getRuntime().addShutdownHook(new Thread(ExitSequence::run, "multiprocess-exit"));
    }

    private ExitSequence() {
    }

    /** A registered action; {@link #cancel()} removes it, once what it would end has ended on its own. */
    public interface Registration {
        void cancel();
    }

    private record Action(String name, Duration budget, Runnable body) {
    }

    /**
     * Registers {@code body} to run at exit in {@code phase}.
     *
     * @param budget how long it may take at most; the phase moves on after the longest budget of its actions
     */
    public static Registration register(Phase phase, String name, Duration budget, Runnable body) {
        long id = IDS.incrementAndGet();
        ACTIONS.get(phase).put(id, new Action(name, budget, body));
        return () -> ACTIONS.get(phase).remove(id);
    }

    /** Whether this JVM is exiting: from the first phase on, the library starts no new process. */
    public static boolean isExiting() {
        return exiting;
    }

    private static void run() {
        exiting = true;
        for (Phase phase : Phase.values()) {
            runPhase(phase, List.copyOf(ACTIONS.get(phase).values()));
        }
    }

    private static void runPhase(Phase phase, List<Action> actions) {
        if (actions.isEmpty()) {
            return;
        }
        Duration longest = Duration.ZERO;
        List<Thread> threads = new ArrayList<>();
        for (Action action : actions) {
            longest = action.budget().compareTo(longest) > 0 ? action.budget() : longest;
            Thread thread = LibraryThreads.daemon("multiprocess-exit-" + action.name(), action.body());
            thread.start();
            threads.add(thread);
        }
        long deadline = System.nanoTime() + longest.plus(MARGIN).toNanos();
        for (int i = 0; i < threads.size(); i++) {
            try {
                long left = deadline - System.nanoTime();
                threads.get(i).join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (threads.get(i).isAlive()) {
                LOG.warn("at exit, '{}' ({}) did not finish within its {} budget; the exit goes on without it",
                        actions.get(i).name(), phase, actions.get(i).budget());
            }
        }
    }
}
