package io.multiprocess.testing;

import io.multiprocess.BaseContext;
import io.multiprocess.MpProcess;
import io.multiprocess.ProcessPool;
import io.multiprocess.SpawnContext;
import io.multiprocess.sharedctypes.CType;
import io.multiprocess.sharedctypes.IntValue;
import io.multiprocess.sharedmemory.SharedMemory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A parent JVM on a machine with a fault, for {@code MachineFaultTest}: it is started in a mount namespace of its
 * own ({@code unshare -rm}) where {@code /dev/shm} or {@code java.io.tmpdir} is a tmpfs that is full or read-only,
 * tries what the fault stands in the way of, and prints one {@code key: value} line per outcome.
 *
 * <p>Argument: {@code shm-full} (SharedMemory, shared values and locks on a full /dev/shm, then a process and a
 * pool, which do not need it) or {@code runtime-dir} (a process and a pool, whose sockets cannot be made).
 */
public final class MachineFaultParent {

    private MachineFaultParent() {
    }

    public static void main(String[] args) throws Exception {
        BaseContext context = new SpawnContext();
        context.setStartupArchive(false);
        switch (args[0]) {
            case "shm-full" -> shmFull(context);
            case "runtime-dir" -> runtimeDirectory(context);
            default -> throw new IllegalArgumentException(args[0]);
        }
        context.close();
        System.out.println("end: " + leftChildren());
        System.out.flush();
        System.exit(0);
    }

    private static void shmFull(BaseContext context) throws Exception {
        long before = segmentFiles();
        report("segment", () -> SharedMemory.create(null, 1 << 20));
        System.out.println("segment-files-left: " + (segmentFiles() - before));
        report("value", () -> {
            // Fill the little room there is with values, until one cannot be made.
            List<IntValue> values = new ArrayList<>();
            while (values.size() < 100_000) {
                values.add(context.value(CType.INT, values.size()));
            }
            return "made " + values.size() + " values";
        });
        report("lock", () -> context.lock());
        runProcessAndPool(context);
    }

    private static void runtimeDirectory(BaseContext context) throws Exception {
        runProcessAndPool(context);
    }

    private static void runProcessAndPool(BaseContext context) {
        report("process", () -> {
            MpProcess process = context.process(() -> { });
            process.start();
            if (!process.join(Duration.ofSeconds(60))) {
                return "still running after 60 s";
            }
            return "exit code " + process.exitCode();
        });
        report("pool", () -> {
            try (ProcessPool pool = context.pool(1)) {
                return "apply gave " + pool.applyAsync(() -> 6 * 7).get(60, TimeUnit.SECONDS);
            }
        });
    }

    private interface Attempt {
        Object run() throws Exception;
    }

    /** Prints {@code key: ok <what it gave>} or {@code key: error <exception and its message, causes included>}. */
    private static void report(String key, Attempt attempt) {
        long started = System.nanoTime();
        String outcome;
        try {
            outcome = "ok " + attempt.run();
        } catch (Throwable e) {
            StringBuilder text = new StringBuilder("error ");
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                text.append(cause.getClass().getSimpleName()).append(": ").append(cause.getMessage()).append(" / ");
            }
            outcome = text.toString();
        }
        System.out.println(key + ": " + outcome.replace('\n', ' ') + " [" + (System.nanoTime() - started) / 1_000_000
                + " ms]");
        System.out.flush();
    }

    private static long segmentFiles() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("/dev/shm"))) {
            return files.count();
        }
    }

    private static long leftChildren() {
        return ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).count();
    }
}
