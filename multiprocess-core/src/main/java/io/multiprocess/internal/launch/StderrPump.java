package io.multiprocess.internal.launch;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * Copies a child's stderr to this process's {@code System.err}, as Python children share their parent's stderr,
 * and keeps the last lines so a crash can be reported with what the child said before it died.
 */
final class StderrPump implements Runnable {

    static final int TAIL_LINES = 30;
    private static final int MAX_LINE = 2000;
    /**
     * The child's last bytes, split into lines only when asked for: a child that writes hundreds of MB costs this
     * JVM a copy into this ring per read and nothing else (a String per chunk or line made it allocate as much as
     * the child wrote).
     */
    private static final int TAIL_BYTES = 64 * 1024;

    private final InputStream source;
    private final byte[] ring = new byte[TAIL_BYTES];
    private long written;
    private final java.util.concurrent.CompletableFuture<Void> finished = new java.util.concurrent.CompletableFuture<>();

    StderrPump(InputStream source) {
        this.source = source;
    }

    @Override
    public void run() {
        byte[] buffer = new byte[8192];
        try (source) {
            int n;
            while ((n = source.read(buffer)) > 0) {
                // Looked up per write so that a redirected System.err (a test, an application) gets the output.
                PrintStream target = System.err;
                target.write(buffer, 0, n);
                target.flush();
                remember(buffer, n);
            }
        } catch (IOException e) {
            // The child is gone; what it wrote until then has been copied.
        }
        finished.complete(null);
    }

    /** Completes when the child's stderr reached EOF and everything was copied. */
    java.util.concurrent.CompletableFuture<Void> finished() {
        return finished;
    }

    /** The last lines the child wrote to stderr, oldest first, each cut at {@value #MAX_LINE} characters. */
    synchronized List<String> tail() {
        int length = (int) Math.min(written, TAIL_BYTES);
        byte[] bytes = new byte[length];
        int start = (int) ((written - length) % TAIL_BYTES);
        int first = Math.min(length, TAIL_BYTES - start);
        System.arraycopy(ring, start, bytes, 0, first);
        System.arraycopy(ring, 0, bytes, first, length - first);
        String[] lines = new String(bytes, StandardCharsets.UTF_8).split("\n", -1);
        Deque<String> tail = new ArrayDeque<>();
        // The first piece may be the end of a longer line cut by the ring; the last is empty after a final newline.
        int from = written > TAIL_BYTES ? 1 : 0;
        int to = lines.length > 0 && lines[lines.length - 1].isEmpty() ? lines.length - 1 : lines.length;
        for (int i = Math.max(from, to - TAIL_LINES); i < to; i++) {
            String line = lines[i].replace("\r", "");
            tail.addLast(line.length() > MAX_LINE ? line.substring(0, MAX_LINE) : line);
        }
        return List.copyOf(tail);
    }

    private synchronized void remember(byte[] buffer, int n) {
        int offset = 0;
        while (offset < n) {
            int at = (int) (written % TAIL_BYTES);
            int chunk = Math.min(n - offset, TAIL_BYTES - at);
            System.arraycopy(buffer, offset, ring, at, chunk);
            offset += chunk;
            written += chunk;
        }
    }
}
