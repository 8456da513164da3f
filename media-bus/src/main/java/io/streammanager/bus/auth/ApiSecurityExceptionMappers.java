package io.streammanager.bus.auth;

import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * What a REST resource answers when {@code @RolesAllowed} refuses: 401 with {@code WWW-Authenticate: Bearer} when the
 * request had no token, 403 when the token's role is too low; both with an {@link AuthErrorBody}. These replace
 * Quarkus' mappers, which answer with an empty body.
 */
public class ApiSecurityExceptionMappers {

    @ServerExceptionMapper
    public Response unauthorized(UnauthorizedException e) {
        return Response.status(Response.Status.UNAUTHORIZED).type(MediaType.APPLICATION_JSON)
                .header(HttpHeaders.WWW_AUTHENTICATE, BearerTokenMechanism.CHALLENGE)
                .entity(AuthErrorBody.unauthorized(AuthErrorResponses.NO_TOKEN)).build();
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return Response.status(Response.Status.FORBIDDEN).type(MediaType.APPLICATION_JSON)
                .entity(AuthErrorBody.forbidden("this token's role may not do this: reading needs viewer, changing "
                        + "streams, outputs, keys or sessions needs operator, managing API tokens needs admin"))
                .build();
    }
}
