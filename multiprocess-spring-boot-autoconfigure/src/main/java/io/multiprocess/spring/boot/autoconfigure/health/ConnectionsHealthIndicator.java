package io.multiprocess.spring.boot.autoconfigure.health;

import io.multiprocess.spring.boot.autoconfigure.RefusedConnections;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * The {@code connections} component of the {@code multiprocess} health: always UP, with the peers this JVM's
 * sockets dropped before they authenticated, per socket and by reason. Such peers are dropped unread, so they say
 * nothing against this JVM's health; the detail tells ops someone without the key tried (see docs/architecture.md).
 */
public class ConnectionsHealthIndicator extends AbstractHealthIndicator {

    public ConnectionsHealthIndicator() {
        super("multiprocess connections health check failed");
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        Map<String, Map<String, Long>> refused = new TreeMap<>();
        RefusedConnections.open().forEach((socket, stats) -> refused.put(socket, RefusedConnections.byReason(stats)));
        builder.up().withDetail("refused", refused);
    }
}
