package io.streammanager.composition.events;

import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.streammanager.bus.auth.Roles;
import jakarta.annotation.security.RolesAllowed;
import java.util.regex.Pattern;

/**
 * {@code /api/v1/events}: the events stream as JSON text frames ({id, type, streamId, service, timeMs,
 * attributes}). {@code ?after=<entry id>} resumes after that entry ({@code 0-0} replays everything kept);
 * without it only new events are sent. Needs a viewer's token on the upgrade request (401 without one).
 */
@RolesAllowed(Roles.VIEWER)
@WebSocket(path = "/api/v1/events")
public class EventsSocket {

    private static final int POLICY_VIOLATION = 1008;
    private static final Pattern ENTRY_ID = Pattern.compile("\\d{1,20}-\\d{1,20}");

    private final EventFeed feed;

    public EventsSocket(EventFeed feed) {
        this.feed = feed;
    }

    @OnOpen
    public void open(WebSocketConnection connection) {
        String query = connection.handshakeRequest().query();
        String after = after(query);
        if (after == null && query != null && query.contains("after=")) {
            connection.closeAndAwait(new CloseReason(POLICY_VIOLATION,
                    "after must be an events entry id like 1700000000000-0"));
            return;
        }
        feed.subscribe(connection, after);
    }

    @OnClose
    public void close(WebSocketConnection connection) {
        feed.unsubscribe(connection.id());
    }

    /** The {@code after} query parameter if present and a valid Redis entry id, else null. */
    static String after(String query) {
        if (query == null) {
            return null;
        }
        for (String parameter : query.split("&")) {
            if (parameter.startsWith("after=")) {
                String value = parameter.substring("after=".length());
                return ENTRY_ID.matcher(value).matches() ? value : null;
            }
        }
        return null;
    }
}
