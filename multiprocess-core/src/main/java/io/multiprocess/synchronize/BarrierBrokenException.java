package io.multiprocess.synchronize;

import io.multiprocess.errors.MultiprocessException;

/**
 * A {@link Barrier} is broken, or broke while this party waited (Python's {@code BrokenBarrierError}): it was
 * aborted, a party timed out, the action failed, a party died at the barrier, or it was reset while this party
 * waited. {@link Barrier#reset()} makes it usable again.
 */
public class BarrierBrokenException extends MultiprocessException {

    private static final long serialVersionUID = 1L;

    public BarrierBrokenException(String message) {
        super(message);
    }

    public BarrierBrokenException(String message, Throwable cause) {
        super(message, cause);
    }
}
