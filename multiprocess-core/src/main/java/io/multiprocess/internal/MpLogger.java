package io.multiprocess.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

/**
 * The library's logger, {@code io.multiprocess}: records go to SLF4J (the application chooses where), and, once
 * {@code Multiprocess.logToStderr(level)} is called, also straight to stderr in Python's format
 * {@code [LEVEL/ProcessName] message}. Child processes inherit the stderr setting.
 */
public final class MpLogger extends LegacyAbstractLogger {

    private static final long serialVersionUID = 1L;
    private static final Map<String, MpLogger> BY_NAME = new ConcurrentHashMap<>();
    /** The library's logger, {@code io.multiprocess} (Python's {@code multiprocessing} logger). */
    public static final MpLogger INSTANCE = named("io.multiprocess");

    private final transient Logger delegate;
    private static volatile Level stderrLevel;

    private MpLogger(String name) {
        this.name = name;
        this.delegate = LoggerFactory.getLogger(name);
    }

    /**
     * The library's logger for {@code type}: named after the class, so levels can be set per class, and routed like
     * every other record of the library (SLF4J, plus stderr when {@code logToStderr} asked for it).
     */
    public static MpLogger of(Class<?> type) {
        return named(type.getName());
    }

    private static MpLogger named(String name) {
        return BY_NAME.computeIfAbsent(name, MpLogger::new);
    }

    public static void setStderrLevel(Level level) {
        stderrLevel = level;
    }

    public static Level stderrLevel() {
        return stderrLevel;
    }

    private static boolean onStderr(Level level) {
        Level threshold = stderrLevel;
        return threshold != null && level.toInt() >= threshold.toInt();
    }

    @Override
    public boolean isTraceEnabled() {
        return delegate.isTraceEnabled() || onStderr(Level.TRACE);
    }

    @Override
    public boolean isDebugEnabled() {
        return delegate.isDebugEnabled() || onStderr(Level.DEBUG);
    }

    @Override
    public boolean isInfoEnabled() {
        return delegate.isInfoEnabled() || onStderr(Level.INFO);
    }

    @Override
    public boolean isWarnEnabled() {
        return delegate.isWarnEnabled() || onStderr(Level.WARN);
    }

    @Override
    public boolean isErrorEnabled() {
        return delegate.isErrorEnabled() || onStderr(Level.ERROR);
    }

    @Override
    protected String getFullyQualifiedCallerName() {
        return MpLogger.class.getName();
    }

    @Override
    protected void handleNormalizedLoggingCall(Level level, Marker marker, String pattern, Object[] arguments,
            Throwable throwable) {
        if (delegate.isEnabledForLevel(level)) {
            // A call without arguments (error(message, throwable)) passes null, which the builder refuses.
            Object[] args = arguments != null ? arguments : new Object[0];
            delegate.atLevel(level).setCause(throwable).log(pattern, args);
        }
        if (onStderr(level)) {
            String message = MessageFormatter.basicArrayFormat(pattern, arguments);
            synchronized (System.err) {
                System.err.println("[" + level + "/" + CurrentProcess.name() + "] " + message);
                if (throwable != null) {
                    throwable.printStackTrace();
                }
            }
        }
    }
}
