package io.multiprocess.internal.launch;

import io.multiprocess.internal.ExitSequence;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Every child JVM of this JVM that has not exited, and what happens to them when this JVM exits: after the pools had
 * their exit policies applied ({@link ExitSequence}), the daemonic children and idle spares left are stopped, as
 * Python terminates daemonic children. The other children see their control channel close when this JVM is gone,
 * and exit on their own.
 */
public final class LiveChildren {

    private static final Set<ChildJvm> LIVE = ConcurrentHashMap.newKeySet();

    static {
        ExitSequence.register(ExitSequence.Phase.CHILDREN, "children", Duration.ofSeconds(2),
                LiveChildren::endChildrenAtExit);
    }

    private LiveChildren() {
    }

    static void add(ChildJvm child) {
        LIVE.add(child);
    }

    static void remove(ChildJvm child) {
        LIVE.remove(child);
    }

    /** The child JVMs of this JVM that have not exited yet, spares included. */
    public static List<ChildJvm> all() {
        return List.copyOf(LIVE);
    }

    /** Whether this JVM is exiting and ending its children: their deaths are expected, not news. */
    static boolean exiting() {
        return ExitSequence.isExiting();
    }

    private static void endChildrenAtExit() {
        List<ChildJvm> toEnd = LIVE.stream().filter(ChildJvm::isDaemon).toList();
        toEnd.forEach(ChildJvm::terminate);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        for (ChildJvm child : toEnd) {
            try {
                long left = deadline - System.nanoTime();
                if (left <= 0 || !child.waitFor(left)) {
                    child.kill();
                }
            } catch (InterruptedException e) {
                child.kill();
            }
        }
    }
}
