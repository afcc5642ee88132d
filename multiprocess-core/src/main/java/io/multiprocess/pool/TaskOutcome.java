package io.multiprocess.pool;

/** How a task ended, as reported to {@link PoolListener#taskFinished}. */
public enum TaskOutcome {
    /** It returned a result. */
    SUCCESS,
    /** It threw, or its result could not be sent back. */
    FAILURE,
    /** It ran past its timeout and its worker was killed. */
    TIMEOUT,
    /** Its worker died while running it. */
    CRASH,
    /** It was cancelled, or the pool was terminated, before it finished. */
    CANCELLED
}
