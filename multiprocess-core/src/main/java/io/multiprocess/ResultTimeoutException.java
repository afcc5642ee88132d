package io.multiprocess;


import io.multiprocess.errors.MultiprocessException;
/**
 * A result was not ready within the time given to {@code get(Duration)} or {@code next(Duration)} (Python's
 * {@code multiprocessing.TimeoutError}). The task goes on; asking again later may succeed.
 */
public class ResultTimeoutException extends MultiprocessException {

    private static final long serialVersionUID = 1L;

    public ResultTimeoutException(String message) {
        super(message);
    }
}
