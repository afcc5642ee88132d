package io.multiprocess;

import io.multiprocess.function.SerializableCallable;
import io.multiprocess.function.SerializableFunction;
import io.multiprocess.pool.PoolWorkerProcess;
import io.multiprocess.process.ChildChannel;
import io.multiprocess.process.RunRequest;
import io.multiprocess.reduction.Reducer;
import io.multiprocess.reduction.Reducers;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import sun.misc.Signal;

/**
 * What a child JVM runs first (Python's {@code spawn.spawn_main}). Internal: started by the parent only.
 *
 * <ol>
 *   <li>Read the handshake key from stdin, then leave the child with an empty stdin.</li>
 *   <li>Connect to the parent's control socket and authenticate both ways.</li>
 *   <li>Install SIGTERM/SIGINT/SIGHUP handlers and a shutdown hook that tell the parent how this JVM ends.</li>
 *   <li>Load and initialize the preload classes, warm up the reducer, report READY.</li>
 *   <li>Receive RUN, watch the channel for the parent's death, become the process, report STARTED, run it,
 *       exit with its code.</li>
 * </ol>
 */
public final class ChildMain {

    /** First argument of a startup archive's training run (see {@code process/StartupArchive}). */
    public static final String TRAIN_STARTUP_ARCHIVE = "--train-startup-archive";
    /** Exit code of a child whose parent disappeared. */
    static final int ORPHANED_EXIT_CODE = 70;
    private static final long HALT_AFTER_MILLIS = 3000;

    private ChildMain() {
    }

    public static void main(String[] args) {
        if (args.length == 2 && args[0].equals(TRAIN_STARTUP_ARCHIVE)) {
            trainStartupArchive(args[1]);
            return;
        }
        if (args.length != 3) {
            System.err.println("io.multiprocess.ChildMain is started by a parent JVM, not by hand");
            System.exit(2);
        }
        ChildChannel channel;
        RunRequest request;
        Reducer reducer;
        try {
            byte[] key = ChildChannel.readAuthkey(System.in);
            System.setIn(new ByteArrayInputStream(new byte[0]));
            channel = ChildChannel.connect(Path.of(args[0]), key);
            installExitReporting(channel);
            preload(args[2]);
            reducer = warmUp(args[1]);
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
        channel.watchParent(ChildMain::exitOrphaned);
        System.exit(MpProcess.runInChild(request, reducer, channel::sendStarted));
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

    private static void preload(String classNames) {
        if (classNames.isEmpty()) {
            return;
        }
        for (String name : classNames.split(",")) {
            try {
                Class.forName(name, true, ChildMain.class.getClassLoader());
            } catch (ClassNotFoundException | LinkageError e) {
                System.err.println("multiprocess: cannot preload " + name + ": " + e);
            }
        }
    }

    /**
     * Sends a process object through the reducer once, the way a real one arrives, so that the first real process
     * does not pay for loading and linking the reducer, the process classes and the lambda machinery.
     */
    private static Reducer warmUp(String reducerName) throws IOException {
        Reducer reducer = Reducers.byName(reducerName);
        int seed = 1;
        SerializableCallable<Integer> probe = () -> seed + 1;
        try {
            MpProcess copy = (MpProcess) reducer.loads(reducer.dumps(new MpProcess(probe::call)));
            copy.run();
        } catch (Exception e) {
            throw new IOException("reducer '" + reducerName + "' does not work in this JVM: " + e, e);
        }
        return reducer;
    }

    /**
     * Runs, without a parent, what a child runs before it takes work, so that a training JVM records it in a
     * startup archive (see {@code process/StartupArchive}): the HMAC challenge over a UNIX-domain socket, the
     * reducer, a process object and a pool task.
     */
    private static void trainStartupArchive(String reducerName) {
        try {
            ChildChannel.rehearseHandshake();
            Reducer reducer = warmUp(reducerName);
            SerializableFunction<Object, Object> increment = x -> (Integer) x + 1;
            reducer.loads(reducer.dumps(PoolWorkerProcess.batch(increment, new ArrayList<>(List.of(1)))));
            reducer.loads(reducer.dumps(new ArrayList<>(List.of(2))));
        } catch (IOException | RuntimeException e) {
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
