package io.multiprocess.managers;

import io.multiprocess.function.SerializableConsumer;
import io.multiprocess.reduction.Reducer;
import java.time.Duration;

/**
 * Where a manager's server runs and where its pools get their workers: every {@code BaseContext} is one, so
 * {@code SyncManager.builder().start(ctx)} starts the server in a child process of {@code ctx}.
 *
 * <pre>{@code
 * try (SyncManager manager = SyncManager.builder().start(Multiprocess.getContext("spawn"))) {
 *     Map<String, Integer> counts = manager.dict();
 * }
 * }</pre>
 *
 * Applications pass a context; the interface is what this package needs of one, so that it depends on nothing
 * above it (the context's package depends on this one, for {@code ctx.manager()}).
 */
public interface ManagerHost {

    /** The reducer of calls and results when the builder names none. */
    Reducer getReducer();

    /**
     * Starts {@code server} in a new daemonic child process named {@code name}. In the child it is given the host of
     * that process (its default context), which its pools start their workers from.
     */
    ServerProcess startServer(String name, SerializableConsumer<ManagerHost> server);

    /**
     * A pool of {@code processes} worker processes, children of the calling process (Python's {@code Pool(n)}), for
     * a manager to serve; the server terminates it when it shuts down.
     *
     * @throws IllegalArgumentException if {@code processes} is less than 1
     */
    PoolProxy newPool(int processes);

    /** The child process running a manager's server, as the manager that started it controls it. */
    interface ServerProcess {

        String name();

        /** The process id, or null when it never started. */
        Long pid();

        /** The exit code (negative: the signal that ended it), or null while it runs. */
        Integer exitCode();

        /** Waits at most {@code timeout} for it to end; true when it has. */
        boolean join(Duration timeout);

        void terminate();

        void kill();

        /** This process as the JDK sees it (pid, liveness, exit), once started. */
        ProcessHandle handle();
    }
}
