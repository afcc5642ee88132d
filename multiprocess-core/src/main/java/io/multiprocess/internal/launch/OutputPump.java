package io.multiprocess.internal.launch;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

/**
 * Reads one output stream of a child JVM: copies it to this process's {@code System.err} (stderr, when output is
 * inherited: Python children share their parent's stderr) or hands it over line by line (when output is relayed
 * into this JVM's logging), and keeps the last lines of stderr so a crash can be reported with what the child said
 * before it died.
 */
final class OutputPump implements Runnable {

    /** Which of the child's streams. */
    enum Stream {
        STDOUT, STDERR;

        String label() {
            return this == STDOUT ? "stdout" : "stderr";
        }
    }

    static final int TAIL_LINES = 30;
    private static final int MAX_TAIL_LINE = 2000;
    /** A relayed line longer than this (in bytes) is handed over in pieces: a line costs bounded memory. */
    static final int MAX_LINE_BYTES = 8192;
    /**
     * The child's last bytes, split into lines only when asked for: a child that writes hundreds of MB costs this
     * JVM a copy into this ring per read and nothing else (a String per chunk or line made it allocate as much as
     * the child wrote).
     */
    private static final int TAIL_BYTES = 64 * 1024;

    private final InputStream source;
    private final Stream stream;
    /** Given each line when relaying, null when copying. */
    private final BiConsumer<Stream, String> lines;
    private final byte[] ring;
    private long written;
    private final byte[] line = new byte[MAX_LINE_BYTES];
    private int lineLength;
    private boolean relayFailed;
    private final CompletableFuture<Void> finished = new CompletableFuture<>();

    /** @param lines given each line to relay, or null to copy stderr to {@code System.err} */
    OutputPump(InputStream source, Stream stream, BiConsumer<Stream, String> lines) {
        this.source = source;
        this.stream = stream;
        this.lines = lines;
        this.ring = stream == Stream.STDERR ? new byte[TAIL_BYTES] : null;
    }

    @Override
    public void run() {
        byte[] buffer = new byte[8192];
        try (source) {
            int n;
            while ((n = source.read(buffer)) > 0) {
                if (lines == null) {
                    // Looked up per write so that a redirected System.err (a test, an application) gets the output.
                    PrintStream target = System.err;
                    target.write(buffer, 0, n);
                    target.flush();
                } else {
                    split(buffer, n);
                }
                if (ring != null) {
                    remember(buffer, n);
                }
            }
        } catch (IOException e) {
            // The child is gone; what it wrote until then has been handled.
        } finally {
            if (lines != null && lineLength > 0) {
                emit();
            }
            finished.complete(null);
        }
    }

    private void split(byte[] buffer, int n) {
        for (int i = 0; i < n; i++) {
            byte b = buffer[i];
            if (b == '\n') {
                emit();
            } else {
                if (lineLength == MAX_LINE_BYTES) {
                    emit();
                }
                line[lineLength++] = b;
            }
        }
    }

    private void emit() {
        int length = lineLength;
        if (length > 0 && line[length - 1] == '\r') {
            length--;
        }
        lineLength = 0;
        if (relayFailed) {
            return;
        }
        try {
            lines.accept(stream, new String(line, 0, length, StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            // A logging backend that fails must not stop the reading, or the child would block on a full pipe:
            // the rest is read and dropped, and this is said once.
            relayFailed = true;
            io.multiprocess.internal.MpLogger.INSTANCE.warn("relaying a child's {} failed ({}); the rest of it is "
                    + "dropped", stream.label(), e.toString());
        }
    }

    /** Completes when the stream reached EOF and everything was handled. */
    CompletableFuture<Void> finished() {
        return finished;
    }

    /** The last lines the child wrote to stderr, oldest first, each cut at {@value #MAX_TAIL_LINE} characters. */
    synchronized List<String> tail() {
        if (ring == null) {
            return List.of();
        }
        int length = (int) Math.min(written, TAIL_BYTES);
        byte[] bytes = new byte[length];
        int start = (int) ((written - length) % TAIL_BYTES);
        int first = Math.min(length, TAIL_BYTES - start);
        System.arraycopy(ring, start, bytes, 0, first);
        System.arraycopy(ring, 0, bytes, first, length - first);
        String[] split = new String(bytes, StandardCharsets.UTF_8).split("\n", -1);
        Deque<String> tail = new ArrayDeque<>();
        // The first piece may be the end of a longer line cut by the ring; the last is empty after a final newline.
        int from = written > TAIL_BYTES ? 1 : 0;
        int to = split.length > 0 && split[split.length - 1].isEmpty() ? split.length - 1 : split.length;
        for (int i = Math.max(from, to - TAIL_LINES); i < to; i++) {
            String text = split[i].replace("\r", "");
            tail.addLast(text.length() > MAX_TAIL_LINE ? text.substring(0, MAX_TAIL_LINE) : text);
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
