package io.multiprocess.spring.boot.autoconfigure;

import io.multiprocess.Diagnostics;
import io.multiprocess.diagnostics.AcceptorStats;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * The peers this JVM's sockets dropped before they authenticated, for the health, the endpoint and the meters: the
 * control socket (where child JVMs call back) and the object host (where other processes reach this one's queues
 * and pipes). A socket that was never opened is left out; reading never opens one.
 *
 * <p>Any count above zero means something on this machine, of this user, connected without the authkey: a port
 * scanner, a stale client, or an attack. Nothing such a peer sent was deserialized (see docs/architecture.md).
 * Internal to the starter.
 */
public final class RefusedConnections {

    /** The sockets, by the name the health, the endpoint and the {@code socket} tag give them. */
    public static final Map<String, Supplier<AcceptorStats>> SOCKETS = Map.of(
            "control", () -> Diagnostics.libraryAcceptors().get("control"),
            "host", () -> Diagnostics.libraryAcceptors().get("host"));

    /** The reasons a peer is dropped, by the name the health and the {@code reason} tag give them. */
    public static final Map<String, ToLongFunction<AcceptorStats>> REASONS = reasons();

    private RefusedConnections() {
    }

    private static Map<String, ToLongFunction<AcceptorStats>> reasons() {
        Map<String, ToLongFunction<AcceptorStats>> reasons = new LinkedHashMap<>();
        reasons.put("too.many", AcceptorStats::tooMany);
        reasons.put("failed.authentication", AcceptorStats::failedAuthentication);
        reasons.put("protocol.error", AcceptorStats::protocolErrors);
        reasons.put("oversized", AcceptorStats::oversized);
        reasons.put("timed.out", AcceptorStats::timedOut);
        return java.util.Collections.unmodifiableMap(reasons);
    }

    /** The stats of each socket that is open, by socket name, in a stable order. */
    public static Map<String, AcceptorStats> open() {
        return new java.util.TreeMap<>(Diagnostics.libraryAcceptors());
    }

    /** The reasons {@code stats} counts above zero, by reason name, and their {@code total}. */
    public static Map<String, Long> byReason(AcceptorStats stats) {
        Map<String, Long> counts = new LinkedHashMap<>();
        counts.put("total", stats.refused());
        REASONS.forEach((name, reason) -> {
            long count = reason.applyAsLong(stats);
            if (count > 0) {
                counts.put(name, count);
            }
        });
        return counts;
    }

    /** A count of {@code stats}, 0 while the socket is not open. */
    public static long count(Supplier<AcceptorStats> stats, ToLongFunction<AcceptorStats> reason) {
        AcceptorStats current = stats.get();
        return current == null ? 0 : reason.applyAsLong(current);
    }
}
