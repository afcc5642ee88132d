package io.multiprocess.internal.logging;

import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.helpers.BasicMDCAdapter;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * The SLF4J provider of a child JVM whose output its parent relays (see {@code ChildOutput.LOG}): selected with
 * {@code -Dslf4j.provider=} on the child's command line, so its events travel to the parent as events (level,
 * logger, message, MDC, throwable) instead of text, and a level the parent does not log is not even formatted here.
 * Public only because SLF4J instantiates it by name.
 */
public final class RelayServiceProvider implements SLF4JServiceProvider {

    private final ILoggerFactory loggers = RelayLogger::forName;
    private final IMarkerFactory markers = new BasicMarkerFactory();
    private final MDCAdapter mdc = new BasicMDCAdapter();

    public RelayServiceProvider() {
    }

    @Override
    public ILoggerFactory getLoggerFactory() {
        return loggers;
    }

    @Override
    public IMarkerFactory getMarkerFactory() {
        return markers;
    }

    @Override
    public MDCAdapter getMDCAdapter() {
        return mdc;
    }

    @Override
    public String getRequestedApiVersion() {
        return "2.0.99";
    }

    @Override
    public void initialize() {
    }
}
