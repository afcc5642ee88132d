package io.multiprocess.bench.reliability;

import io.multiprocess.BaseContext;
import io.multiprocess.MpProcess;
import io.multiprocess.ProcessPool;
import io.multiprocess.SpawnContext;
import io.multiprocess.pool.PoolOptions;
import io.multiprocess.pool.TaskFailedException;
import io.multiprocess.sharedmemory.SharedMemory;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Faults of the machine rather than of the code: a child that never connects back, a worker that writes garbage
 * below the framing of its channel, a full /dev/shm (a tmpfs of 1 MiB mounted over it in a mount namespace of the
 * scenario's own, {@code unshare -rm}).
 */
final class MachineFaultScenarios {

    /** The connect deadline never-connects sets (short, full form), short so three workers miss it quickly. */
    private static final String[] CONNECT_TIMEOUT = {"1s", "3s"};
    private static final Duration LONG = Duration.ofSeconds(120);

    private MachineFaultScenarios() {
    }

    static List<Scenario> all() {
        return List.of(
                new Scenario("never-connects", "A worker executable that never runs the child's code (a stuck "
                        + "wrapper)", "each child is killed at the connect deadline; the pool breaks naming it "
                        + "instead of waiting forever; a process's join() returns; no process is left",
                        MachineFaultScenarios::neverConnects),
                new Scenario("garbage-channel", "A worker writes garbage below the framing of its channel, mid-task",
                        "the task fails with TaskFailedException naming the garbage; the worker is killed and "
                                + "replaced; the pool works after", MachineFaultScenarios::garbageChannel),
                new Scenario("shm-full", "/dev/shm full (a 1 MiB tmpfs), a 4 MiB SharedMemory created and written",
                        "create() throws naming /dev/shm and the lack of room, the half-made segment is deleted; "
                                + "the JVM lives on; processes and pools work", MachineFaultScenarios::shmFull));
    }

    static Scenario.Result neverConnects(Size size, Scenario.Settings settings) throws Exception {
        String connectTimeout = CONNECT_TIMEOUT[size.pick(0, 1)];
        System.setProperty("io.multiprocess.connectTimeout", connectTimeout);
        Path script = Files.createTempFile("never-connects", ".sh");
        try {
            Files.writeString(script, "#!/bin/sh\nexec sleep 600\n");
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
            BaseContext context = new SpawnContext();
            context.setStartupArchive(false);
            context.setExecutable(script);

            ProcessPool pool = context.pool(PoolOptions.defaults().processes(2));
            BadInputScenarios.Outcome apply = BadInputScenarios.attempt(() -> pool.applyAsync(() -> 1).get(LONG));
            String state = pool.snapshot().state().name();
            pool.terminate();

            MpProcess process = context.process(() -> { });
            long before = System.nanoTime();
            process.start();
            boolean joined = process.join(LONG);
            double joinSeconds = (System.nanoTime() - before) / 1e9;
            context.close();

            boolean held = apply.error() != null && apply.mentions("did not connect back")
                    && apply.millis() < 30_000 && state.equals("BROKEN") && joined
                    && Integer.valueOf(-9).equals(process.exitCode());
            return new Scenario.Result("spawn context whose executable is `exec sleep 600`, connect deadline "
                    + connectTimeout + " (io.multiprocess.connectTimeout; 60 s by default): pool(2).apply, then "
                    + "a process's start() and join()", String.format(Locale.ROOT, "apply %s; pool %s; the process "
                    + "joined after %.1f s with exit code %s", apply.describe(), state, joinSeconds,
                    process.exitCode()), held);
        } finally {
            System.clearProperty("io.multiprocess.connectTimeout");
            Files.deleteIfExists(script);
        }
    }

    static Scenario.Result garbageChannel(Size size, Scenario.Settings settings) throws Exception {
        try (ProcessPool pool = new SpawnContext().pool(PoolOptions.defaults().processes(1))) {
            long firstPid = pool.apply(() -> ProcessHandle.current().pid());
            BadInputScenarios.Outcome outcome = BadInputScenarios.attempt(() -> pool.applyAsync(() -> {
                writeGarbageOnOwnChannel();
                Thread.sleep(600_000);
                return 0;
            }).get(LONG));
            boolean works = BadInputScenarios.works(pool);
            long nextPid = pool.apply(() -> ProcessHandle.current().pid());
            boolean held = outcome.threw(TaskFailedException.class)
                    && outcome.mentions("cannot read as a message") && outcome.millis() < 10_000 && works
                    && nextPid != firstPid;
            return new Scenario.Result("pool(1); a task writes a 2 GB length prefix and text straight to its "
                    + "worker's control socket, then sleeps", String.format(Locale.ROOT, "%s; %s; next task on a "
                    + "new worker: %s", outcome.describe(), BadInputScenarios.works(works), nextPid != firstPid),
                    held);
        }
    }

    /**
     * In a worker: bytes that are no frame, written on its own control channel below the framing. A fault injector
     * reaches into the library's internals by reflection, by name, so the bench never compiles against them; when
     * they change, this scenario fails loudly (it cannot find the socket), it does not pass.
     */
    private static void writeGarbageOnOwnChannel() throws Exception {
        Class<?> childChannel = Class.forName("io.multiprocess.internal.launch.ChildChannel");
        Object channel = childChannel.getMethod("current").invoke(null);
        Object connection = field(childChannel, "connection").get(channel);
        SocketChannel socket = (SocketChannel) field(connection.getClass(), "channel").get(connection);
        socket.write(ByteBuffer.allocate(4 + 40).putInt(0x7FFF_FFF0)
                .put("garbage, not a frame of the protocol....".getBytes(StandardCharsets.US_ASCII)).flip());
    }

    private static Field field(Class<?> type, String name) throws NoSuchFieldException {
        Field field = type.getDeclaredField(name);
        field.setAccessible(true);
        return field;
    }

    static Scenario.Result shmFull(Size size, Scenario.Settings settings) throws Exception {
        List<String> command = List.of("unshare", "-rm", "sh", "-c",
                "mount -t tmpfs -o size=1m tmpfs /dev/shm && exec \"$@\"", "sh", settings.java(), "-cp",
                settings.classpath(), ShmFullMain.class.getName());
        long before = System.nanoTime();
        Process parent;
        try {
            parent = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (java.io.IOException e) {
            return new Scenario.Result("(not run)", "unshare is not available here: " + e.getMessage(), false);
        }
        StringBuilder printed = new StringBuilder();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(parent.getInputStream(),
                StandardCharsets.UTF_8))) {
            if (!parent.waitFor(LONG.toSeconds(), TimeUnit.SECONDS)) {
                parent.destroyForcibly();
            }
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                printed.append(line).append("; ");
            }
        }
        int status = parent.waitFor();
        String text = printed.toString();
        boolean held = status == 0 && text.contains("create: threw") && text.contains("/dev/shm has no room")
                && text.contains("segments left: 0") && text.contains("process: exit code 0")
                && text.contains("pool: 42");
        return new Scenario.Result("a parent JVM in a mount namespace whose /dev/shm is a 1 MiB tmpfs: "
                + "SharedMemory.create(4 MiB) and a write to all of it, then a process and a pool(1).apply",
                String.format(Locale.ROOT, "%sthe JVM exited with %d after %.1f s", text, status,
                        (System.nanoTime() - before) / 1e9), held);
    }

    /** The parent of {@link #shmFull}: prints what each step gave, one line each. */
    public static final class ShmFullMain {

        private ShmFullMain() {
        }

        public static void main(String[] args) throws Exception {
            long files = count();
            long before = System.nanoTime();
            try {
                SharedMemory memory = SharedMemory.create(null, 4 << 20);
                ByteBuffer buffer = memory.buffer();
                while (buffer.hasRemaining()) {
                    buffer.put((byte) 1);
                }
                System.out.println("create: returned and the write went through");
            } catch (RuntimeException e) {
                System.out.printf(Locale.ROOT, "create: threw %s after %.0f ms%n",
                        ReliabilityBench.describe(e), (System.nanoTime() - before) / 1e6);
            }
            System.out.println("segments left: " + (count() - files));
            BaseContext context = new SpawnContext();
            context.setStartupArchive(false);
            MpProcess process = context.process(() -> { });
            process.start();
            process.join();
            System.out.println("process: exit code " + process.exitCode());
            try (ProcessPool pool = context.pool(1)) {
                System.out.println("pool: " + pool.apply(() -> 6 * 7));
            }
            context.close();
            System.out.flush();
            System.exit(0);
        }

        private static long count() throws java.io.IOException {
            try (var files = Files.list(Path.of("/dev/shm"))) {
                return files.count();
            }
        }
    }
}
