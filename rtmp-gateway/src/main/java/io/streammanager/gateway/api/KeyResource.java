package io.streammanager.gateway.api;

import io.streammanager.bus.auth.Roles;
import io.streammanager.gateway.auth.KeyRules;
import io.streammanager.gateway.auth.StreamKeyStore;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;

/**
 * Stream keys: create (the secret is in that answer and nowhere else), list and read (masked), rotate, revoke. The
 * methods block on Redis, so RESTEasy Reactive runs them on worker threads, off the event loop.
 */
@RolesAllowed(Roles.OPERATOR)
@Path("/api/v1/keys")
@Produces(MediaType.APPLICATION_JSON)
public class KeyResource {

    /** A creation request; {@code expiresAtMs} absent or 0 means never. */
    public record KeyRequest(String streamName, List<String> scopes, Long expiresAtMs) {
    }

    /** A key as listed: {@code secretHint} is the secret's first characters, never more. */
    public record KeyView(String id, String streamName, List<String> scopes, long expiresAtMs, boolean revoked,
                          long createdAtMs, String secretHint) {
        static KeyView of(StreamKeyStore.StoredKey key) {
            return new KeyView(key.id(), key.record().streamName(), KeyRules.scopeNames(key.record().scopes()),
                    key.record().expiresAtMs(), key.record().revoked(), key.createdAtMs(), key.secretHint());
        }
    }

    /** The answer to create and rotate: the only time the secret is shown. */
    public record IssuedKeyView(String id, String streamName, List<String> scopes, long expiresAtMs, long createdAtMs,
                                String secret) {
        static IssuedKeyView of(StreamKeyStore.IssuedKey issued) {
            var key = issued.key();
            return new IssuedKeyView(key.id(), key.record().streamName(), KeyRules.scopeNames(key.record().scopes()),
                    key.record().expiresAtMs(), key.createdAtMs(), issued.secret());
        }
    }

    private final StreamKeyStore store;

    public KeyResource(StreamKeyStore store) {
        this.store = store;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(KeyRequest request) {
        if (request == null) {
            throw badRequest("body", "a JSON body {streamName, scopes, expiresAtMs?} is required");
        }
        KeyRules.NewKey key;
        try {
            key = KeyRules.validate(request.streamName(), request.scopes(), request.expiresAtMs(), store.nowMs());
        } catch (KeyRules.InvalidKeyRequest e) {
            throw badRequest(e.field(), e.getMessage());
        }
        return Response.status(201).entity(IssuedKeyView.of(store.create(key))).build();
    }

    @RolesAllowed(Roles.VIEWER)
    @GET
    public List<KeyView> list() {
        return store.list().stream().map(KeyView::of).toList();
    }

    @RolesAllowed(Roles.VIEWER)
    @GET
    @Path("/{id}")
    public KeyView get(@PathParam("id") String id) {
        return store.find(id).map(KeyView::of).orElseThrow(() -> notFound(id));
    }

    @POST
    @Path("/{id}/rotate")
    public IssuedKeyView rotate(@PathParam("id") String id) {
        try {
            return store.rotate(id).map(IssuedKeyView::of).orElseThrow(() -> notFound(id));
        } catch (IllegalStateException e) {
            throw error(409, "id", "key " + id + " is revoked; create a new key instead");
        }
    }

    @DELETE
    @Path("/{id}")
    public KeyView revoke(@PathParam("id") String id) {
        return store.revoke(id).map(KeyView::of).orElseThrow(() -> notFound(id));
    }

    private static WebApplicationException badRequest(String field, String message) {
        return error(400, field, message);
    }

    private static WebApplicationException notFound(String id) {
        return error(404, "id", "no key with id " + id);
    }

    private static WebApplicationException error(int status, String field, String message) {
        return new WebApplicationException(Response.status(status).entity(Map.of("error", message, "field", field))
                .type(MediaType.APPLICATION_JSON).build());
    }
}
