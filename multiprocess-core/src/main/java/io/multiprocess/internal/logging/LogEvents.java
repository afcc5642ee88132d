package io.multiprocess.internal.logging;

import io.multiprocess.internal.transport.FrameCodec;
import io.multiprocess.internal.transport.FrameTypes;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.slf4j.event.Level;

/**
 * The LOG frame: one SLF4J event of a child, with its MDC and throwable (class, message and stack of each cause),
 * and how the parent logs it again: under the child's logger name, at its level, with the child's MDC plus what the
 * parent adds (the worker's pid, pool, task).
 *
 * <pre>
 *   LOG  level:int, logger:string, message:string, thread:string, mdc:strings (key, value, ...),
 *        causes:int, then per cause: class:string, hasMessage:boolean, message:string, frames:strings
 * </pre>
 */
public final class LogEvents {

    /** Causes kept per event, and stack frames per cause: an event costs bounded bytes. */
    static final int MAX_CAUSES = 8;
    static final int MAX_FRAMES = 200;

    private LogEvents() {
    }

    static byte[] encode(Level level, String logger, String message, String thread, Map<String, String> mdc,
            Throwable throwable) {
        List<String> pairs = new ArrayList<>();
        if (mdc != null) {
            mdc.forEach((key, value) -> {
                pairs.add(key);
                pairs.add(value == null ? "" : value);
            });
        }
        List<Throwable> causes = new ArrayList<>();
        Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        for (Throwable cause = throwable; cause != null && causes.size() < MAX_CAUSES && seen.put(cause, true) == null;
                cause = cause.getCause()) {
            causes.add(cause);
        }
        FrameCodec.Writer frame = FrameCodec.frame(FrameTypes.Control.LOG, 64 + message.length() * 2)
                .putInt(level.toInt()).putString(logger).putString(message).putString(thread).putStrings(pairs)
                .putInt(causes.size());
        for (Throwable cause : causes) {
            List<String> frames = new ArrayList<>();
            StackTraceElement[] stack = cause.getStackTrace();
            for (int i = 0; i < Math.min(stack.length, MAX_FRAMES); i++) {
                StackTraceElement element = stack[i];
                frames.add(element.getClassName() + "\t" + element.getMethodName() + "\t"
                        + (element.getFileName() == null ? "" : element.getFileName()) + "\t"
                        + element.getLineNumber());
            }
            String text = cause instanceof RelayedThrowable relayed ? relayed.originalClassName()
                    : cause.getClass().getName();
            frame.putString(text).putBoolean(cause.getMessage() != null)
                    .putString(cause.getMessage() == null ? "" : cause.getMessage()).putStrings(frames);
        }
        return frame.toBytes();
    }

    /**
     * Logs the event in {@code frame} in this JVM, with {@code extraMdc} added to the child's MDC.
     *
     * @throws IOException if the frame is malformed
     */
    public static void log(byte[] frame, Map<String, String> extraMdc) throws IOException {
        FrameCodec.Reader reader = FrameCodec.read(frame);
        Level level = Level.intToLevel(reader.getInt());
        Logger logger = LoggerFactory.getLogger(reader.getString());
        String message = reader.getString();
        String thread = reader.getString();
        List<String> pairs = reader.getStrings();
        int causes = reader.getInt();
        RelayedThrowable throwable = null;
        RelayedThrowable last = null;
        for (int i = 0; i < Math.min(causes, MAX_CAUSES); i++) {
            String className = reader.getString();
            boolean hasMessage = reader.getBoolean();
            String causeMessage = reader.getString();
            List<String> frames = reader.getStrings();
            RelayedThrowable cause = new RelayedThrowable(className, hasMessage ? causeMessage : null, frames);
            if (last == null) {
                throwable = cause;
            } else {
                last.initCause(cause);
            }
            last = cause;
        }
        Map<String, String> mdc = new HashMap<>();
        for (int i = 0; i + 1 < pairs.size(); i += 2) {
            mdc.put(pairs.get(i), pairs.get(i + 1));
        }
        mdc.putAll(extraMdc);
        mdc.put("mp.thread", thread);
        Map<String, String> previous = MDC.getCopyOfContextMap();
        MDC.setContextMap(mdc);
        try {
            logger.atLevel(level).setCause(throwable).log(message);
        } finally {
            if (previous == null) {
                MDC.clear();
            } else {
                MDC.setContextMap(previous);
            }
        }
    }

    /** The lowest level {@code logger} logs in this JVM, as the LEVEL answer gives it. */
    public static byte[] levelAnswer(byte[] query) throws IOException {
        FrameCodec.Reader reader = FrameCodec.read(query);
        long id = reader.getLong();
        Logger logger = LoggerFactory.getLogger(reader.getString());
        int lowest = logger.isTraceEnabled() ? Level.TRACE.toInt() : logger.isDebugEnabled() ? Level.DEBUG.toInt()
                : logger.isInfoEnabled() ? Level.INFO.toInt() : logger.isWarnEnabled() ? Level.WARN.toInt()
                : logger.isErrorEnabled() ? Level.ERROR.toInt() : LogRelay.NOTHING;
        return FrameCodec.frame(FrameTypes.Control.LEVEL, 12).putLong(id).putInt(lowest).toBytes();
    }
}
