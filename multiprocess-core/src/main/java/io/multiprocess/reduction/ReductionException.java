package io.multiprocess.reduction;

import io.multiprocess.errors.MultiprocessException;

/**
 * A value could not be reduced to bytes, or bytes could not be rebuilt into a value (Python's
 * {@code PicklingError}/{@code UnpicklingError}). The message names the type, the field path where known, the
 * reducer, and what to do.
 */
public class ReductionException extends MultiprocessException {

    private static final long serialVersionUID = 1L;

    public ReductionException(String message) {
        super(message);
    }

    public ReductionException(String message, Throwable cause) {
        super(message, cause);
    }
}
