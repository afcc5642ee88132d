package io.multiprocess.errors;

/**
 * Base of the exceptions this library throws for failures that belong to it (Python's {@code ProcessError}).
 *
 * <p>Plain argument and state mistakes use {@link IllegalArgumentException} and {@link IllegalStateException},
 * as Java code expects.
 */
public class MultiprocessException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public MultiprocessException(String message) {
        super(message);
    }

    public MultiprocessException(String message, Throwable cause) {
        super(message, cause);
    }
}
