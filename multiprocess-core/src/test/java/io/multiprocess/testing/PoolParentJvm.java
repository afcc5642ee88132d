package io.multiprocess.testing;

import io.multiprocess.AsyncResult;
import io.multiprocess.Multiprocess;
import io.multiprocess.ProcessPool;
import io.multiprocess.pool.ExitPolicy;
import io.multiprocess.pool.PoolOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A separate parent JVM with a pool, for tests of what JVM exit (SIGTERM) does to it: it submits one task of the
 * given length, prints {@code started <worker pid>} once the task runs, and prints how the task ended.
 *
 * <p>Arguments: exit policy ({@code terminate|drain|owner|owner-recycling}), grace period in ms, task length in ms.
 * {@code owner-recycling} is {@code owner} with {@code maxTasksPerChild(1)}, so the worker is replaced after its task,
 * while the JVM exits. With {@code owner}, a shutdown hook of its own plays the owner (as Spring's lifecycle does): it waits half a second,
 * as a web server draining its requests would, then closes the pool and waits for it.
 */
public final class PoolParentJvm {

    public static void main(String[] args) throws Exception {
        Duration grace = Duration.ofMillis(Long.parseLong(args[1]));
        long taskMillis = Long.parseLong(args[2]);
        ExitPolicy policy = switch (args[0]) {
            case "drain" -> ExitPolicy.drain(grace);
            case "owner", "owner-recycling" -> ExitPolicy.leaveToOwner(grace);
            default -> ExitPolicy.terminate();
        };
        ProcessPool pool = Multiprocess.getContext().pool(PoolOptions.defaults().processes(1).exitPolicy(policy)
                .maxTasksPerChild(args[0].equals("owner-recycling") ? 1 : 0));
        if (args[0].startsWith("owner")) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    Thread.sleep(500);
                    // A request still in flight may submit more work while the owner drains.
                    System.out.println("late " + pool.apply(() -> 7));
                } catch (Exception e) {
                    System.out.println("late failed " + e);
                }
                pool.close();
            }));
        }
        AsyncResult<Long> task = pool.applyAsync(() -> {
            System.out.println("started " + ProcessHandle.current().pid());
            System.out.flush();
            Thread.sleep(taskMillis);
            return ProcessHandle.current().pid();
        });
        try {
            System.out.println("result " + task.get(Duration.ofSeconds(60)));
        } catch (RuntimeException e) {
            System.out.println("failed " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }

    /** Launches this class in a new JVM with the test classpath. */
    public static Process launch(Path output, String... args) throws IOException {
        List<String> command = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), PoolParentJvm.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
    }
}
