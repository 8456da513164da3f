package io.streammanager.gateway.server;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Open RTMP connections by session id, for limits, the session API and shutdown. */
@ApplicationScoped
public class ConnectionRegistry {

    private final ConcurrentHashMap<String, RtmpConnection> connections = new ConcurrentHashMap<>();

    void add(RtmpConnection connection) {
        connections.put(connection.id(), connection);
    }

    void remove(RtmpConnection connection) {
        connections.remove(connection.id(), connection);
    }

    public int size() {
        return connections.size();
    }

    public Collection<SessionInfo> sessions() {
        return connections.values().stream().map(RtmpConnection::info).toList();
    }

    public Optional<SessionInfo> session(String id) {
        return Optional.ofNullable(connections.get(id)).map(RtmpConnection::info);
    }

    /** Closes one session; false if there is no such session. */
    public boolean kick(String id, String reason) {
        RtmpConnection connection = connections.get(id);
        if (connection == null) {
            return false;
        }
        connection.disconnect(reason);
        return true;
    }

    List<RtmpConnection> all() {
        return List.copyOf(connections.values());
    }
}
