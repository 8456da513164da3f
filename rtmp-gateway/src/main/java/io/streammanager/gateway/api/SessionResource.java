package io.streammanager.gateway.api;

import io.streammanager.bus.auth.Roles;
import io.streammanager.gateway.server.ConnectionRegistry;
import io.streammanager.gateway.server.SessionInfo;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** RTMP sessions: list publishers and players, kick one. */
@RolesAllowed(Roles.OPERATOR)
@Path("/api/v1/sessions")
@Produces(MediaType.APPLICATION_JSON)
public class SessionResource {

    private final ConnectionRegistry connections;

    public SessionResource(ConnectionRegistry connections) {
        this.connections = connections;
    }

    @RolesAllowed(Roles.VIEWER)
    @GET
    public List<SessionInfo> list() {
        return connections.sessions().stream().sorted(Comparator.comparing(SessionInfo::started)).toList();
    }

    @RolesAllowed(Roles.VIEWER)
    @GET
    @Path("/{id}")
    public SessionInfo get(@PathParam("id") String id) {
        return connections.session(id).orElseThrow(() -> notFound(id));
    }

    @DELETE
    @Path("/{id}")
    public Response kick(@PathParam("id") String id) {
        if (!connections.kick(id, "kicked through the session API")) {
            throw notFound(id);
        }
        return Response.accepted(Map.of("id", id, "state", "closing")).build();
    }

    private static NotFoundException notFound(String id) {
        return new NotFoundException(Response.status(404)
                .entity(Map.of("error", "no session with id " + id, "field", "id"))
                .type(MediaType.APPLICATION_JSON).build());
    }
}
