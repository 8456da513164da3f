package io.streammanager.gateway.server;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Open sessions (RTMP connections, HTTP-FLV players) by id, for limits, the session API and shutdown. */
@ApplicationScoped
public class ConnectionRegistry {

    private final ConcurrentHashMap<String, GatewaySession> connections = new ConcurrentHashMap<>();

    private final java.util.concurrent.atomic.AtomicInteger rtmp = new java.util.concurrent.atomic.AtomicInteger();

    void add(GatewaySession connection) {
        if (connections.put(connection.id(), connection) == null && connection instanceof RtmpConnection) {
            rtmp.incrementAndGet();
        }
    }

    void remove(GatewaySession connection) {
        if (connections.remove(connection.id(), connection) && connection instanceof RtmpConnection) {
            rtmp.decrementAndGet();
        }
    }

    /** RTMP connections only: what {@code gateway.limits.max-connections} bounds. */
    public int rtmpConnections() {
        return rtmp.get();
    }

    public Collection<SessionInfo> sessions() {
        return connections.values().stream().map(GatewaySession::info).toList();
    }

    public Optional<SessionInfo> session(String id) {
        return Optional.ofNullable(connections.get(id)).map(GatewaySession::info);
    }

    /** Closes one session; false if there is no such session. */
    public boolean kick(String id, String reason) {
        GatewaySession connection = connections.get(id);
        if (connection == null) {
            return false;
        }
        connection.disconnect(reason);
        return true;
    }

    List<GatewaySession> all() {
        return List.copyOf(connections.values());
    }
}
