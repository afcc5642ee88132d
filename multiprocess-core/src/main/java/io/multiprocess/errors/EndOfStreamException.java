package io.multiprocess.errors;

import java.io.EOFException;
import java.io.UncheckedIOException;

/**
 * Nothing is left to receive and the peer closed its end (Python's {@code EOFError}): every message it sent
 * before closing has been received.
 */
public class EndOfStreamException extends UncheckedIOException {

    private static final long serialVersionUID = 1L;

    public EndOfStreamException(String message) {
        super(message, new EOFException(message));
    }
}
