package io.streammanager.composition.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import io.streammanager.bus.auth.ApiTokenStore;
import io.streammanager.bus.auth.AuthErrorBody;
import io.streammanager.bus.auth.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/**
 * {@code /api/v1/tokens}: API tokens for every service, admins only. The token is in the answer to its creation
 * and nowhere else (Redis keeps its hash). Non-blocking: the reactive Redis client, on the event loop.
 */
@Path("/api/v1/tokens")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.ADMIN)
@APIResponse(responseCode = "401", description = "no token, or a wrong, expired or revoked one",
        content = @Content(schema = @Schema(implementation = AuthErrorBody.class)))
@APIResponse(responseCode = "403", description = "the token is not an admin's",
        content = @Content(schema = @Schema(implementation = AuthErrorBody.class)))
public class TokenResource {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ApiTokenStore store;

    public TokenResource(ApiTokenStore store) {
        this.store = store;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RequestBody(required = true, content = @Content(schema = @Schema(implementation = TokenRequest.class)))
    @APIResponse(responseCode = "201", description = "the token, shown this once",
            content = @Content(schema = @Schema(implementation = TokenView.class)))
    @APIResponse(responseCode = "400", description = "a field is invalid; the answer names it",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    public Uni<Response> create(String body, @Context UriInfo uri) {
        TokenRequest request;
        try {
            request = TokenRequest.parse(body == null || body.isBlank() ? null : JSON.readTree(body));
        } catch (JsonProcessingException e) {
            return Uni.createFrom().item(badRequest("body", "malformed JSON: " + e.getOriginalMessage()));
        } catch (TokenRequest.Invalid e) {
            return Uni.createFrom().item(badRequest(e.field, e.getMessage()));
        }
        return store.create(request.role(), request.lifetime(), request.description())
                .map(issued -> Response.created(uri.getAbsolutePathBuilder().path(issued.token().id()).build())
                        .entity(TokenView.issued(issued)).build());
    }

    @GET
    @APIResponse(responseCode = "200", description = "every token, without secrets",
            content = @Content(schema = @Schema(implementation = TokenView.class, type = SchemaType.ARRAY)))
    public Uni<List<TokenView>> list() {
        return store.list().map(tokens -> tokens.stream().map(TokenView::listed).toList());
    }

    @GET
    @Path("/{id}")
    @APIResponse(responseCode = "200", description = "the token, without its secret",
            content = @Content(schema = @Schema(implementation = TokenView.class)))
    @APIResponse(responseCode = "404", description = "no such token",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    public Uni<Response> get(@PathParam("id") String id) {
        return store.findById(id).map(found -> found
                .map(token -> Response.ok(TokenView.listed(token)).build())
                .orElseGet(() -> notFound(id)));
    }

    @DELETE
    @Path("/{id}")
    @APIResponse(responseCode = "204", description = "revoked: the token is refused from the next request on")
    @APIResponse(responseCode = "404", description = "no such token",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    public Uni<Response> revoke(@PathParam("id") String id) {
        return store.revoke(id).map(revoked -> revoked ? Response.noContent().build() : notFound(id));
    }

    private static Response badRequest(String field, String message) {
        return Response.status(Response.Status.BAD_REQUEST).type(MediaType.APPLICATION_JSON)
                .entity(new ErrorBody("invalid token request", field, message)).build();
    }

    private static Response notFound(String id) {
        return Response.status(Response.Status.NOT_FOUND).type(MediaType.APPLICATION_JSON)
                .entity(new ErrorBody("token not found", "id", "no API token with id " + id)).build();
    }
}
