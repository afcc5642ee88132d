package io.multiprocess.testing;

import io.multiprocess.BaseContext;
import io.multiprocess.MpProcess;
import io.multiprocess.Multiprocess;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A parent JVM for the startup-archive test, started with a jar-only classpath: starts a child (which makes the
 * archive be trained), waits until an archive appears in the cache directory, then starts a second child that
 * writes the JVM arguments it got into the file given as the first argument.
 */
public final class ArchiveProbeMain {

    public static void main(String[] args) throws Exception {
        Path cache = Path.of(System.getProperty("io.multiprocess.cache.dir"), "startup");
        BaseContext ctx = Multiprocess.getContext("spawn");
        MpProcess first = ctx.process(() -> { });
        first.start();
        first.join();
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (!hasArchive(cache) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        String out = args[0];
        MpProcess second = ctx.process(() -> Files.writeString(Path.of(out),
                String.join("\n", ManagementFactory.getRuntimeMXBean().getInputArguments())));
        second.start();
        second.join();
        System.exit(first.exitCode() == 0 && second.exitCode() == 0 ? 0 : 1);
    }

    private static boolean hasArchive(Path cache) throws Exception {
        if (!Files.isDirectory(cache)) {
            return false;
        }
        try (var files = Files.list(cache)) {
            return files.anyMatch(file -> file.toString().endsWith(".jsa") || file.toString().endsWith(".aot"));
        }
    }
}
