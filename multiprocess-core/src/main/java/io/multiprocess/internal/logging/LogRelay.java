package io.multiprocess.internal.logging;

import io.multiprocess.internal.transport.FrameCodec;
import io.multiprocess.internal.transport.FrameTypes;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.MDC;
import org.slf4j.event.Level;

/**
 * The child's side of relayed logging: SLF4J events of this JVM (through {@link RelayServiceProvider}) travel to
 * the parent as LOG frames, and a level is enabled here only if the parent logs it for that logger. The parent is
 * asked once per logger (LEVEL? and LEVEL frames), the answer kept and refreshed in the background every
 * {@value #REFRESH_SECONDS} s, so a level changed in the parent (Spring's loggers endpoint) reaches the children. A
 * disabled call costs a map lookup; nothing is formatted or sent.
 *
 * <p>Before the channel is connected (early in a child's start) events go to stderr as text, which the parent
 * relays as lines.
 */
public final class LogRelay {

    /** The system property SLF4J (2.0.9 and later) reads to choose its provider. */
    public static final String SLF4J_PROVIDER_PROPERTY = "slf4j.provider";
    public static final String PROVIDER_CLASS = "io.multiprocess.internal.logging.RelayServiceProvider";

    /** The parent's answer for a logger that logs nothing. */
    static final int NOTHING = 50;
    private static final long REFRESH_SECONDS = 10;
    private static final long ANSWER_WAIT_MILLIS = 1000;

    /** Sends a frame to the parent. */
    @FunctionalInterface
    public interface Sender {
        void send(byte[] frame) throws IOException;
    }

    private record Threshold(int lowest, long askedNanos) {
    }

    private static volatile Sender sender;
    /** Reads the parent's answers; a thread that reads them must never wait for one itself. */
    private static volatile AnswerReader answerReader;
    private static final Map<String, Threshold> THRESHOLDS = new ConcurrentHashMap<>();
    private static final Map<Long, CompletableFuture<Integer>> QUERIES = new ConcurrentHashMap<>();
    private static final Map<Long, String> QUERIED = new ConcurrentHashMap<>();
    private static final AtomicLong QUERY_IDS = new AtomicLong();

    private LogRelay() {
    }

    /** What reads the channel the parent's LEVEL answers come on, and hands them to {@link #answer}. */
    public interface AnswerReader {

        /** Whether the calling thread reads the channel now: then it cannot wait for an answer. */
        boolean readsOnThisThread();

        /** Has the channel read as soon as it can: a thread waits for an answer. */
        void readSoon();
    }

    /**
     * From now on events go to the parent through {@code channel}, and the parent's LEVEL answers are read by
     * {@code reader}, which hands them to {@link #answer}.
     */
    public static void connect(Sender channel, AnswerReader reader) {
        answerReader = reader;
        sender = channel;
    }

    /** The parent's LEVEL answer, read by the child's channel reader. */
    public static void answer(byte[] frame) {
        try {
            FrameCodec.Reader reader = FrameCodec.read(frame);
            long query = reader.getLong();
            int lowest = reader.getInt();
            String logger = QUERIED.remove(query);
            if (logger != null) {
                THRESHOLDS.put(logger, new Threshold(lowest, System.nanoTime()));
            }
            CompletableFuture<Integer> waiting = QUERIES.remove(query);
            if (waiting != null) {
                waiting.complete(lowest);
            }
        } catch (IOException e) {
            System.err.println("multiprocess: an unreadable LEVEL answer from the parent: " + e);
        }
    }

    static boolean enabled(String logger, Level level) {
        Sender channel = sender;
        if (channel == null) {
            return level.toInt() >= Level.INFO.toInt();
        }
        Threshold known = THRESHOLDS.get(logger);
        if (known == null) {
            // The reader logging would wait for an answer only it can read: it asks, and uses INFO this once.
            boolean mayWait = !answerReader.readsOnThisThread();
            int lowest = ask(channel, logger, mayWait);
            if (!mayWait) {
                return level.toInt() >= Level.INFO.toInt();
            }
            known = new Threshold(lowest, System.nanoTime());
            THRESHOLDS.putIfAbsent(logger, known);
        } else if (System.nanoTime() - known.askedNanos() > TimeUnit.SECONDS.toNanos(REFRESH_SECONDS)) {
            // Refreshed in the background: this call uses what is known.
            THRESHOLDS.put(logger, new Threshold(known.lowest(), System.nanoTime()));
            ask(channel, logger, false);
        }
        return level.toInt() >= known.lowest();
    }

    /** Asks the parent; waits for the answer only if {@code wait}, and then at most a second (INFO after that). */
    private static int ask(Sender channel, String logger, boolean wait) {
        long query = QUERY_IDS.incrementAndGet();
        CompletableFuture<Integer> answer = new CompletableFuture<>();
        if (wait) {
            QUERIES.put(query, answer);
        }
        QUERIED.put(query, logger);
        try {
            channel.send(FrameCodec.frame(FrameTypes.Control.LEVEL_QUERY, 8 + 4 + logger.length() * 3)
                    .putLong(query).putString(logger).toBytes());
            if (!wait) {
                return NOTHING;
            }
            answerReader.readSoon();
            return answer.get(ANSWER_WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            QUERIES.remove(query);
            return Level.INFO.toInt();
        }
    }

    static void send(Level level, String logger, String message, Throwable throwable) {
        Sender channel = sender;
        if (channel == null) {
            PrintStream err = System.err;
            err.println(level + " " + logger + " - " + message);
            if (throwable != null) {
                throwable.printStackTrace(err);
            }
            return;
        }
        Map<String, String> mdc = MDC.getCopyOfContextMap();
        try {
            channel.send(LogEvents.encode(level, logger, message, Thread.currentThread().getName(), mdc, throwable));
        } catch (IOException e) {
            // The parent is gone; this JVM is about to notice and exit.
        }
    }
}
