package io.multiprocess.queues;

import io.multiprocess.errors.MultiprocessException;

/** The queue was full for as long as the caller would wait (Python's {@code queue.Full}). */
public class QueueFullException extends MultiprocessException {

    private static final long serialVersionUID = 1L;

    public QueueFullException(String message) {
        super(message);
    }
}
