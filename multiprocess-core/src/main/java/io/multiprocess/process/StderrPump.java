package io.multiprocess.process;

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

    private final InputStream source;
    private final Deque<String> tail = new ArrayDeque<>();
    private final StringBuilder line = new StringBuilder();
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
        synchronized (this) {
            if (line.length() > 0) {
                addLine(line.toString());
                line.setLength(0);
            }
        }
        finished.complete(null);
    }

    /** Completes when the child's stderr reached EOF and everything was copied. */
    java.util.concurrent.CompletableFuture<Void> finished() {
        return finished;
    }

    /** The last lines the child wrote to stderr, oldest first. */
    synchronized List<String> tail() {
        return List.copyOf(tail);
    }

    private synchronized void remember(byte[] buffer, int n) {
        String text = new String(buffer, 0, n, StandardCharsets.UTF_8);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n') {
                addLine(line.toString());
                line.setLength(0);
            } else if (c != '\r' && line.length() < MAX_LINE) {
                line.append(c);
            }
        }
    }

    private void addLine(String text) {
        if (tail.size() == TAIL_LINES) {
            tail.removeFirst();
        }
        tail.addLast(text);
    }
}
