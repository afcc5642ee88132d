package io.multiprocess.internal.logging;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

/** A logger of a child JVM whose events go to its parent; see {@link RelayServiceProvider}. */
final class RelayLogger extends LegacyAbstractLogger {

    private static final long serialVersionUID = 1L;
    private static final Map<String, RelayLogger> LOGGERS = new ConcurrentHashMap<>();

    private RelayLogger(String name) {
        this.name = name;
    }

    static RelayLogger forName(String name) {
        return LOGGERS.computeIfAbsent(name, RelayLogger::new);
    }

    @Override
    public boolean isTraceEnabled() {
        return LogRelay.enabled(name, Level.TRACE);
    }

    @Override
    public boolean isDebugEnabled() {
        return LogRelay.enabled(name, Level.DEBUG);
    }

    @Override
    public boolean isInfoEnabled() {
        return LogRelay.enabled(name, Level.INFO);
    }

    @Override
    public boolean isWarnEnabled() {
        return LogRelay.enabled(name, Level.WARN);
    }

    @Override
    public boolean isErrorEnabled() {
        return LogRelay.enabled(name, Level.ERROR);
    }

    @Override
    protected String getFullyQualifiedCallerName() {
        return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(Level level, Marker marker, String messagePattern, Object[] arguments,
            Throwable throwable) {
        String message = MessageFormatter.basicArrayFormat(messagePattern, arguments);
        LogRelay.send(level, name, message, throwable);
    }
}
