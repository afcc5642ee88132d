package io.multiprocess.managers;

import io.multiprocess.errors.MultiprocessException;

/**
 * An exception raised in a manager server while it served a proxy's call, as seen by the caller (Python's
 * {@code RemoteError} and the "Traceback from the manager" it prints).
 *
 * <p>A proxy call that fails in the server throws an exception of the <b>same type, with the same message</b>,
 * made in the calling process (so its stack trace shows the caller), whose {@linkplain #getCause() cause} is this
 * exception carrying the server's stack trace as text. When the type cannot be made here (not on this classpath,
 * no {@code (String)} constructor, or a checked exception the proxy's method does not declare), this exception
 * is thrown itself.
 *
 * <pre>{@code
 * try {
 *     list.get(99);
 * } catch (IndexOutOfBoundsException e) {
 *     RemoteException inManager = (RemoteException) e.getCause();
 *     inManager.getRemoteType();        // "java.lang.IndexOutOfBoundsException"
 *     inManager.getRemoteStackTrace();  // the trace printed in the manager server, as text
 * }
 * }</pre>
 */
public class RemoteException extends MultiprocessException {

    private static final long serialVersionUID = 1L;

    private final String remoteType;
    private final String remoteMessage;
    private final String remoteStackTrace;

    public RemoteException(String remoteType, String remoteMessage, String remoteStackTrace, String where) {
        super(remoteType + (remoteMessage == null ? "" : ": " + remoteMessage) + " (raised in the manager server "
                + where + ")\n---- stack trace in the manager server ----\n" + remoteStackTrace
                + "---- end of the manager's stack trace ----");
        this.remoteType = remoteType;
        this.remoteMessage = remoteMessage;
        this.remoteStackTrace = remoteStackTrace;
    }

    /** The class name of the exception raised in the server. */
    public String getRemoteType() {
        return remoteType;
    }

    /** Its message, or null. */
    public String getRemoteMessage() {
        return remoteMessage;
    }

    /** Its stack trace in the server (with its causes), as {@link Throwable#printStackTrace()} wrote it there. */
    public String getRemoteStackTrace() {
        return remoteStackTrace;
    }
}
