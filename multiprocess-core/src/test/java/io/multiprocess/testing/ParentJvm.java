package io.multiprocess.testing;

import io.multiprocess.MpProcess;
import io.multiprocess.Multiprocess;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A separate parent JVM for tests of what happens to children when their parent goes: it starts one child,
 * prints {@code child <pid>}, then either waits to be killed or returns from main.
 *
 * <p>Arguments: start method, {@code daemon|nondaemon}, {@code stay|return}, and a file the child writes when it
 * finishes sleeping for the given milliseconds.
 */
public final class ParentJvm {

    public static void main(String[] args) throws Exception {
        String method = args[0];
        boolean daemon = args[1].equals("daemon");
        boolean stay = args[2].equals("stay");
        String doneFile = args[3];
        long sleepMillis = Long.parseLong(args[4]);
        MpProcess child = Multiprocess.getContext(method).process(() -> {
            Thread.sleep(sleepMillis);
            Files.writeString(Path.of(doneFile), "done");
        });
        child.setDaemon(daemon);
        child.start();
        System.out.println("child " + child.pid());
        System.out.flush();
        if (stay) {
            Thread.sleep(Long.MAX_VALUE);
        }
    }

    /** Launches this class in a new JVM with the test classpath. */
    public static Process launch(String... args) throws IOException {
        List<String> command = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), ParentJvm.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    /** Reads the {@code child <pid>} line the launched parent prints. */
    public static long readChildPid(Process parent) throws IOException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(parent.getInputStream(),
                StandardCharsets.UTF_8));
        String line = reader.readLine();
        if (line == null || !line.startsWith("child ")) {
            throw new IOException("the parent JVM did not report its child: " + line);
        }
        return Long.parseLong(line.substring("child ".length()).trim());
    }
}
