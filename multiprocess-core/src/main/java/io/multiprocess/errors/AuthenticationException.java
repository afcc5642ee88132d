package io.multiprocess.errors;

/**
 * A peer failed the authkey challenge (Python's {@code AuthenticationError}): it does not know the shared
 * authkey, or it answered with something other than the expected digest. Nothing the peer sent was deserialized.
 */
public class AuthenticationException extends MultiprocessException {

    private static final long serialVersionUID = 1L;

    public AuthenticationException(String message) {
        super(message);
    }
}
