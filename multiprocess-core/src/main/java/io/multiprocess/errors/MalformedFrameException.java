package io.multiprocess.errors;

import java.io.IOException;

/**
 * A peer sent bytes that cannot be a frame of this library's protocol (a length beyond what is allowed, or shorter
 * than the message's header): the connection has been closed, since the rest of the stream can no longer be framed.
 * Unlike an end of stream or a reset, which say the peer went away, this says the peer is alive and sends
 * garbage, so whoever reads from it should stop trusting it (a child JVM that does this is killed).
 */
public class MalformedFrameException extends IOException {

    private static final long serialVersionUID = 1L;

    public MalformedFrameException(String message) {
        super(message);
    }
}
