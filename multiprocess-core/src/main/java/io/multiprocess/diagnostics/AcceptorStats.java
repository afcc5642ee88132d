package io.multiprocess.diagnostics;


/**
 * What one server socket's {@code Acceptor} has done since it opened: how many connections it took, how many
 * authenticated, and how many it dropped before they did, by reason. A snapshot; read it again for newer figures.
 *
 * <pre>{@code
 * AcceptorStats stats = listener.acceptorStats();
 * if (stats.refused() > 0) {
 *     log.info("{} peers were dropped before authenticating: {}", stats.refused(), stats);
 * }
 * }</pre>
 *
 * @param accepted connections taken from the socket's backlog
 * @param authenticated connections that passed the authkey challenge both ways and were handed over
 * @param inHandshake connections in the challenge now
 * @param tooMany connections closed because the bound of connections in handshake was reached (the oldest
 *     handshake gives way to the newest), or to free a file descriptor when the process had none left
 * @param failedAuthentication peers that sent a wrong digest or refused this side's
 * @param protocolErrors peers that sent something else than the challenge's messages, or closed their end in the
 *     middle of it
 * @param oversized peers that announced a message longer than {@code Authentication.MAX_UNAUTHENTICATED_MESSAGE}
 *     bytes (garbage read as a length, often)
 * @param timedOut peers that did not finish the challenge within the handshake timeout (silent, or slow)
 * @param acceptErrors failures of the socket's accept itself, such as "Too many open files"; accepting resumes
 *     after a short back-off
 * @param internalErrors anything else that went wrong in the acceptor (a bug); the connection concerned is closed
 *     and the acceptor goes on
 */
public record AcceptorStats(long accepted, long authenticated, int inHandshake, long tooMany,
        long failedAuthentication, long protocolErrors, long oversized, long timedOut, long acceptErrors,
        long internalErrors) {

    /** Connections dropped before they authenticated, for any reason. */
    public long refused() {
        return tooMany + failedAuthentication + protocolErrors + oversized + timedOut;
    }
}
