package io.multiprocess.queues;

import io.multiprocess.errors.MultiprocessException;

/** The queue was empty for as long as the caller would wait (Python's {@code queue.Empty}). */
public class QueueEmptyException extends MultiprocessException {

    private static final long serialVersionUID = 1L;

    public QueueEmptyException(String message) {
        super(message);
    }
}
