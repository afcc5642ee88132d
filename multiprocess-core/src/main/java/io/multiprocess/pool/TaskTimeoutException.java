package io.multiprocess.pool;

import io.multiprocess.MultiprocessException;

/** A task ran past its timeout: its worker was killed and replaced, and the task failed with this. */
public class TaskTimeoutException extends MultiprocessException {

    private static final long serialVersionUID = 1L;

    public TaskTimeoutException(String message) {
        super(message);
    }
}
