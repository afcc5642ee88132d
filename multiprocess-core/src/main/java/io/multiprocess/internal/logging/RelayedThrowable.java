package io.multiprocess.internal.logging;

import java.util.List;

/**
 * A throwable logged in a child JVM, as the parent rebuilds it to log it: the original's class name, message and
 * stack, without needing its class (which this JVM may not have) or deserializing anything.
 */
public final class RelayedThrowable extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String originalClassName;

    RelayedThrowable(String originalClassName, String message, List<String> frames) {
        super(message);
        this.originalClassName = originalClassName;
        StackTraceElement[] stack = new StackTraceElement[frames.size()];
        for (int i = 0; i < stack.length; i++) {
            String[] parts = frames.get(i).split("\t", -1);
            stack[i] = new StackTraceElement(parts[0], parts.length > 1 ? parts[1] : "?",
                    parts.length > 2 && !parts[2].isEmpty() ? parts[2] : null,
                    parts.length > 3 ? parseLine(parts[3]) : -1);
        }
        setStackTrace(stack);
    }

    private static int parseLine(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Its stack is the child's, set above: none of this JVM's to take. */
    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }

    /** The class of the throwable in the child. */
    public String originalClassName() {
        return originalClassName;
    }

    /** As the original would print: its class name and message. */
    @Override
    public String toString() {
        String message = getLocalizedMessage();
        return message == null ? originalClassName : originalClassName + ": " + message;
    }
}
