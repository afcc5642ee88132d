package io.multiprocess.pool;

import io.multiprocess.errors.MultiprocessException;

/**
 * A task threw in its worker. The cause is the task's own exception, with its type, message and the stack trace it
 * had in the worker; {@code getCause()} gives it to code that needs the type:
 *
 * <pre>{@code
 * try {
 *     pool.apply(() -> parse(input));
 * } catch (TaskFailedException e) {
 *     if (e.getCause() instanceof NumberFormatException bad) { ... }
 * }
 * }</pre>
 */
public class TaskFailedException extends MultiprocessException {

    private static final long serialVersionUID = 1L;

    public TaskFailedException(String message, Throwable cause) {
        super(message, cause);
    }

    public TaskFailedException(String message) {
        super(message);
    }
}
