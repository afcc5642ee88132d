package io.multiprocess;

import io.multiprocess.function.SerializableCallable;
import io.multiprocess.function.SerializableFunction;
import io.multiprocess.internal.launch.ChildArguments;
import io.multiprocess.internal.launch.ChildChannel;
import io.multiprocess.internal.launch.LaunchSettings;
import io.multiprocess.internal.launch.RunRequest;
import io.multiprocess.internal.logging.LogRelay;
import io.multiprocess.internal.pool.PackedItems;
import io.multiprocess.internal.pool.TaskBatch;
import io.multiprocess.internal.transport.Authentication;
import io.multiprocess.reduction.Reducer;
import io.multiprocess.reduction.Reducers;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import sun.misc.Signal;

/**
 * What a child JVM runs first (Python's {@code spawn.spawn_main}). Internal: started by the parent only.
 *
 * <ol>
 *   <li>Read the handshake key from stdin, then leave the child with an empty stdin.</li>
 *   <li>Connect to the parent's control socket and authenticate both ways.</li>
 *   <li>Install SIGTERM/SIGINT/SIGHUP handlers and a shutdown hook that tell the parent how this JVM ends.</li>
 *   <li>Load and initialize the preload classes; a forkserver spare also rehearses taking a process (a dummy
 *       RUN through the same code) and running a pool task, and loads, without initializing, the classes the
 *       parent's recent processes ran code of; report READY.</li>
 *   <li>Receive RUN, watch the channel for the parent's death, become the process, report STARTED, run it,
 *       exit with its code.</li>
 * </ol>
 */
public final class ChildMain {

    /** Fourth argument: comma-separated classes a spare loads, without initializing them, before READY. */
    private static final int LOAD_AHEAD = 3;
    /** Exit code of a child whose parent disappeared. */
    static final int ORPHANED_EXIT_CODE = 70;
    private static final long HALT_AFTER_MILLIS = 3000;
    /** Rounds of the pool task path in a training run: a few milliseconds of a JVM that runs once per jar. */
    private static final int TRAINING_ROUNDS = 500;

    private ChildMain() {
    }

    public static void main(String[] args) {
        if (args.length == 2 && args[0].equals(ChildArguments.TRAIN_STARTUP_ARCHIVE)) {
            trainStartupArchive(args[1]);
            return;
        }
        if (args.length != 5
                || !(args[4].equals(ChildArguments.SPARE) || args[4].equals(ChildArguments.ASSIGNED))) {
            System.err.println("io.multiprocess.ChildMain is started by a parent JVM, not by hand");
            System.exit(2);
        }
        // The security framework and the reducer load on another CPU while this thread reads the key and connects.
        FutureTask<Reducer> preparation = new FutureTask<>(() -> prepare(args[1]));
        Thread preparing = new Thread(preparation, "multiprocess-prepare");
        preparing.setDaemon(true);
        preparing.start();
        ChildChannel channel;
        RunRequest request;
        Reducer reducer;
        Thread parentWatcher;
        Runnable onRunning;
        try {
            byte[] key = ChildChannel.readAuthkey(System.in);
            System.setIn(new ByteArrayInputStream(new byte[0]));
            channel = ChildChannel.connect(Path.of(args[0]), key);
            installExitReporting(channel);
            preload(args[2]);
            reducer = prepared(preparation);
            if (args[4].equals(ChildArguments.SPARE)) {
                rehearseHandOff(reducer);
                PoolWorkerProcess.rehearseQuietly(reducer);
                loadAhead(args[LOAD_AHEAD]);
            }
            // Made before READY, so that linking them is not paid between RUN and the target.
            parentWatcher = channel.parentWatcher(ChildMain::exitOrphaned);
            onRunning = channel::sendStarted;
            channel.sendReady();
            request = channel.awaitRun();
            if (!reducer.name().equals(request.settings().reducer())) {
                reducer = Reducers.byName(request.settings().reducer());
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("multiprocess child JVM " + ProcessHandle.current().pid()
                    + " could not get work from its parent: " + e);
            System.exit(ORPHANED_EXIT_CODE);
            return;
        }
        parentWatcher.start();
        // From here the channel's reader hands the parent's LEVEL answers on, so SLF4J events may go to the parent
        // (when it relays this JVM's output, which chose the relaying provider); before, they went to stderr as text.
        LogRelay.connect(channel::send, channel);
        System.exit(MpProcess.runInChild(request, reducer, onRunning));
    }

    /** What a child can do before it has its key: load the handshake's crypto, make the reducer and warm it. */
    private static Reducer prepare(String reducerName) {
        Authentication.prepare();
        Reducer reducer = Reducers.byName(reducerName);
        reducer.loads(reducer.dumps(new ArrayList<>(List.of(1))));
        return reducer;
    }

    private static Reducer prepared(FutureTask<Reducer> preparation) throws IOException {
        try {
            return preparation.get();
        } catch (ExecutionException e) {
            throw new IOException("reducer cannot be used in this JVM: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while preparing", e);
        }
    }

    private static void installExitReporting(ChildChannel channel) {
        for (String name : new String[] {"TERM", "INT", "HUP"}) {
            try {
                Signal.handle(new Signal(name), signal -> {
                    channel.sendSignaled(signal.getNumber());
                    System.exit(128 + signal.getNumber());
                });
            } catch (IllegalArgumentException e) {
                // The signal is not available here (or reserved by the JVM): the default action stays.
            }
        }
        Runtime.getRuntime().addShutdownHook(new Thread(channel::sendExiting, "multiprocess-exit-report"));
    }

    /** Loads and initializes the forkserver-preload classes; one that cannot be loaded is reported. */
    private static void preload(String classNames) {
        load(classNames, true);
    }

    /**
     * Loads the classes recent processes of the parent ran code of (see {@code ForkServerStarter.expect})
     * without initializing them, so no user code runs before a process does. One that cannot be loaded is skipped
     * quietly: it is only a guess about the next process (a class of another class loader in the parent).
     */
    private static void loadAhead(String classNames) {
        load(classNames, false);
    }

    private static void load(String classNames, boolean initialize) {
        if (classNames.isEmpty()) {
            return;
        }
        for (String name : classNames.split(",")) {
            try {
                Class<?> type = Class.forName(name, initialize, ChildMain.class.getClassLoader());
                if (!initialize) {
                    // Links it, verification included, which loads the classes its code refers to; HotSpot links a
                    // class before it lists its members. Initializing it would run user code before it was asked.
                    type.getDeclaredConstructors();
                }
            } catch (ClassNotFoundException | LinkageError e) {
                if (initialize) {
                    System.err.println("multiprocess: cannot preload " + name + ": " + e);
                }
            }
        }
    }

    /**
     * Takes a process once the way a real RUN arrives (decode the request, inherit the settings, load the process
     * object with the reducer, run it), so that a spare's first real process does not pay for loading, linking and
     * interpreting that path for the first time. What it sets (current process, settings) the real RUN sets again.
     */
    private static void rehearseHandOff(Reducer reducer) throws IOException {
        int seed = 1;
        SerializableCallable<Integer> probe = () -> seed + 1;
        byte[] payload;
        try {
            payload = reducer.dumps(new MpProcess(probe::call));
        } catch (RuntimeException e) {
            throw new IOException("reducer '" + reducer.name() + "' does not work in this JVM: " + e, e);
        }
        LaunchSettings settings = new LaunchSettings(ForkServerContext.METHOD, Reducers.nameOf(reducer), "",
                List.of(), List.of(), true);
        RunRequest rehearsal = RunRequest.decode(new RunRequest("rehearsal", new int[] {1}, true, new byte[0],
                "rehearsal-parent", settings, "", payload).encode());
        if (MpProcess.runInChild(rehearsal, reducer, () -> { }) != 0) {
            throw new IOException("reducer '" + reducer.name() + "' cannot load a process object in this JVM");
        }
        // Classes of the startup archive come without opening their jars; a lookup that finds nothing opens them
        // all, so the first class the real process loads from a jar does not pay for opening it.
        ChildMain.class.getClassLoader().getResource("io/multiprocess/rehearsal/absent");
    }

    /**
     * Runs, without a parent, what a child runs before it takes work, so that a training JVM records it in a
     * startup archive (see {@code internal/launch/StartupArchive}): the HMAC challenge over a UNIX-domain socket, the
     * reducer, a process object and a pool task.
     */
    private static void trainStartupArchive(String reducerName) {
        try {
            ChildChannel.rehearseHandshake();
            Reducer reducer = Reducers.byName(reducerName);
            rehearseHandOff(reducer);
            PoolWorkerProcess.rehearseTask(reducer);
            SerializableFunction<Object, Object> increment = x -> (Integer) x + 1;
            // A pool task's path, as a worker runs it: the chunk in, the function over its items, the results out,
            // in each packed form. The startup archive keeps the classes; from JDK 25 the AOT cache also keeps the
            // profiles of what ran often enough, hence the rounds.
            List<List<?>> chunks = List.of(List.of(1, 2), List.of(1L), List.of(0.5), List.of("a"),
                    List.of(new byte[1]), Arrays.asList(1, null));
            for (int round = 0; round < TRAINING_ROUNDS; round++) {
                for (List<?> items : chunks) {
                    TaskBatch batch = (TaskBatch) reducer.loads(reducer.dumps(PoolWorkerProcess.batch(increment,
                            new ArrayList<>(items))));
                    List<Object> results = new ArrayList<>();
                    for (Object item : batch.items()) {
                        results.add(item instanceof Integer ? increment.apply(item) : item);
                    }
                    ((PackedItems) reducer.loads(reducer.dumps(PackedItems.pack(results)))).unpack().size();
                }
            }
        } catch (Exception e) {
            System.err.println("multiprocess: training a startup archive failed: " + e);
            System.exit(1);
        }
    }

    /** The parent is gone: end now, running shutdown hooks, and halt if they do not finish promptly. */
    private static void exitOrphaned() {
        Thread halter = new Thread(() -> {
            try {
                Thread.sleep(HALT_AFTER_MILLIS);
            } catch (InterruptedException e) {
                // Halt at once.
            }
            Runtime.getRuntime().halt(ORPHANED_EXIT_CODE);
        }, "multiprocess-orphan-halt");
        halter.setDaemon(true);
        halter.start();
        System.exit(ORPHANED_EXIT_CODE);
    }
}
