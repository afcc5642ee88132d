package io.multiprocess.internal;

import java.util.Locale;
import java.util.Optional;

/**
 * The largest message (frame) a process sends or receives, set by the system property {@value #PROPERTY}: a
 * number of bytes, or with a {@code k}, {@code m} or {@code g} suffix ({@code 512m}, {@code 2g}). The default is
 * {@value #DEFAULT_TEXT}.
 *
 * <p>Why 1 GiB: the receiver holds a whole frame in one array and then the value rebuilt from it, so a 1 GiB
 * message already needs more than 2 GiB of heap where it arrives; data that large is better shared than copied
 * through a socket (shared memory, shared arrays). The Java limit for an array, just under 2 GiB, is the most
 * that can be set. A parent that sets the property passes it on to the child JVMs it starts.
 *
 * <p>Internal: not part of the public API.
 */
public final class FrameLimit {

    /** The system property that sets the largest frame. */
    public static final String PROPERTY = "io.multiprocess.maxFrameBytes";
    /** The default largest frame: 1 GiB. */
    public static final int DEFAULT = 1 << 30;
    /** The most a frame can be: a Java array cannot be longer. */
    public static final int MOST = Integer.MAX_VALUE - 8;
    /** The least it can be set to, so that the library's own messages always fit. */
    public static final int LEAST = 64 * 1024;

    static final String DEFAULT_TEXT = "1g";

    /** The property's text last parsed and what it gave; the property is read at each use, parsed once. */
    private static volatile Parsed parsed = new Parsed(null, DEFAULT);

    private record Parsed(String text, int bytes) {
    }

    private FrameLimit() {
    }

    /** The largest frame, in bytes, as the property says now. */
    public static int maxFrameBytes() {
        String text = System.getProperty(PROPERTY);
        Parsed last = parsed;
        if (text == null) {
            return DEFAULT;
        }
        if (text.equals(last.text())) {
            return last.bytes();
        }
        Parsed now = new Parsed(text, parse(text));
        parsed = now;
        return now.bytes();
    }

    /** The {@code -D} argument that gives a child JVM this process's setting, when it was set. */
    public static Optional<String> childArgument() {
        String text = System.getProperty(PROPERTY);
        return text == null ? Optional.empty() : Optional.of("-D" + PROPERTY + "=" + text.strip());
    }

    /** What to say when a frame is too large for the setting. */
    public static String howToRaise() {
        return "raise the system property " + PROPERTY + " (now " + maxFrameBytes() + " bytes, at most " + MOST
                + "; set in a parent, it is passed on to the children it starts), or send large data through"
                + " shared memory (SharedMemory, sharedctypes arrays)";
    }

    static int parse(String text) {
        String value = text.strip().toLowerCase(Locale.ROOT);
        long unit = 1;
        if (value.endsWith("k") || value.endsWith("m") || value.endsWith("g")) {
            unit = switch (value.charAt(value.length() - 1)) {
                case 'k' -> 1L << 10;
                case 'm' -> 1L << 20;
                default -> 1L << 30;
            };
            value = value.substring(0, value.length() - 1);
        }
        long bytes;
        try {
            bytes = Long.parseLong(value) * unit;
        } catch (NumberFormatException e) {
            MpLogger.INSTANCE.warn("{}={} is not a size (bytes, or a number with k, m or g such as 512m); using the "
                    + "default {}", PROPERTY, text, DEFAULT_TEXT);
            return DEFAULT;
        }
        if (bytes < LEAST || bytes > MOST) {
            int clamped = (int) Math.max(LEAST, Math.min(MOST, bytes));
            MpLogger.INSTANCE.warn("{}={} is outside {}..{} bytes; using {}", PROPERTY, text, LEAST, MOST, clamped);
            return clamped;
        }
        return (int) bytes;
    }
}
