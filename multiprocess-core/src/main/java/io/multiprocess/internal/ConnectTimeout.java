package io.multiprocess.internal;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * How long a launched child JVM has to connect back to its parent and authenticate, set by the system property
 * {@value #PROPERTY}: a duration such as {@code 60s}, {@code 500ms}, {@code 2m}, or ISO-8601 ({@code PT90S}). The
 * default is {@value #DEFAULT_TEXT}.
 *
 * <p>Why a deadline at all: a child that never connects (stuck before its main in a JVM flag, an agent or a wrapper
 * executable, or something else that took its place) would otherwise hold its pool worker slot, or its process's
 * {@code join()}, forever. Why 60 s: a JVM reaches this point in well under a second, and in a few seconds on a
 * machine loaded with other JVMs starting at once; a minute leaves room for a very slow machine without letting a
 * stuck child go unnoticed. When the deadline passes, a child that used CPU since the last look (more than 1% of a
 * core) is still starting on a loaded machine and gets the deadline again, up to {@value #MOST_EXTENSIONS} times;
 * one that did not (stuck, stopped, or not a JVM at all) is killed, and what waited on it fails naming why.
 *
 * <p>Internal: not part of the public API.
 */
public final class ConnectTimeout {

    /** The system property that sets the deadline. */
    public static final String PROPERTY = "io.multiprocess.connectTimeout";
    /** The default deadline. */
    public static final Duration DEFAULT = Duration.ofSeconds(60);
    /** The shortest deadline that can be set: below it, a healthy JVM would not make it. */
    public static final Duration LEAST = Duration.ofMillis(100);
    /** The longest deadline that can be set (a larger value is taken as this): a day. */
    public static final Duration MOST = Duration.ofDays(1);

    /** How many times a child that is still using CPU gets the deadline again. */
    public static final int MOST_EXTENSIONS = 4;

    static final String DEFAULT_TEXT = "60s";

    private ConnectTimeout() {
    }

    /** The deadline as the property says now (it is read at each launch). */
    public static Duration get() {
        String text = System.getProperty(PROPERTY);
        return text == null ? DEFAULT : parse(text);
    }

    /** What to say when a child missed the deadline. */
    public static String howToRaise() {
        return "if the child JVMs of this machine are only slow to start, raise the system property " + PROPERTY
                + " (now " + get().toMillis() + " ms)";
    }

    static Duration parse(String text) {
        String value = text.strip().toLowerCase(Locale.ROOT);
        Duration parsed;
        try {
            if (value.startsWith("pt")) {
                parsed = Duration.parse(value);
            } else if (value.endsWith("ms")) {
                parsed = Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2)));
            } else if (value.endsWith("s")) {
                parsed = Duration.ofSeconds(Long.parseLong(value.substring(0, value.length() - 1)));
            } else if (value.endsWith("m")) {
                parsed = Duration.ofMinutes(Long.parseLong(value.substring(0, value.length() - 1)));
            } else {
                parsed = Duration.ofMillis(Long.parseLong(value));
            }
        } catch (NumberFormatException | DateTimeParseException | ArithmeticException e) {
            MpLogger.INSTANCE.warn("{}={} is not a duration (such as 60s, 500ms, 2m or "
                    + "PT90S); using the default {}", PROPERTY, text, DEFAULT_TEXT);
            return DEFAULT;
        }
        if (parsed.compareTo(LEAST) < 0) {
            MpLogger.INSTANCE.warn("{}={} is shorter than {} ms; using {} ms", PROPERTY,
                    text, LEAST.toMillis(), LEAST.toMillis());
            return LEAST;
        }
        return parsed.compareTo(MOST) > 0 ? MOST : parsed;
    }
}
