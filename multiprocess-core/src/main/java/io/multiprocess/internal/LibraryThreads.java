package io.multiprocess.internal;

import java.util.concurrent.ThreadFactory;
import org.slf4j.Logger;

/**
 * Every thread the library starts is made here: a daemon thread whose death by an uncaught {@link Throwable} is
 * logged at ERROR with the thread's name, never silent. The loops that run on these threads still catch what they
 * can recover from themselves and fail what depends on them; this is the last line, so that a bug shows.
 */
public final class LibraryThreads {

    private static final Logger LOG = MpLogger.INSTANCE;
    private static final Thread.UncaughtExceptionHandler REPORT = (thread, error) -> LOG.error(
            "multiprocess library thread '{}' died of an unexpected error; what it served may stop working: "
                    + "please report this with the stack trace", thread.getName(), error);

    private LibraryThreads() {
    }

    /** A daemon thread, not started. */
    public static Thread daemon(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        thread.setUncaughtExceptionHandler(REPORT);
        return thread;
    }

    /** Starts a daemon thread. */
    public static Thread start(String name, Runnable body) {
        Thread thread = daemon(name, body);
        thread.start();
        return thread;
    }

    /** A factory of daemon threads all named {@code name}, for executors. */
    public static ThreadFactory factory(String name) {
        return body -> daemon(name, body);
    }
}
