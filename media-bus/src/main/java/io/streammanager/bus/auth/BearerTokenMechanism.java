package io.streammanager.bus.auth;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.credential.TokenCredential;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpCredentialTransport;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * {@code Authorization: Bearer <token>} on every HTTP request and WebSocket upgrade. No header: the request goes on
 * anonymous, and a secured resource answers 401. A header that does not authenticate (malformed, unknown, expired,
 * revoked) is a 401 at once and counts as a failure of the client's address; an address over the limit gets 429
 * without its token being looked up. The token itself is never logged.
 */
@ApplicationScoped
public class BearerTokenMechanism implements HttpAuthenticationMechanism {

    static final String WWW_AUTHENTICATE = "WWW-Authenticate";
    static final String CHALLENGE = "Bearer realm=\"stream-manager\"";
    /** Routing-context key: why this request's token was refused, for the 401 body. */
    static final String FAILURE_REASON = BearerTokenMechanism.class.getName() + ".failure";
    private static final String BEARER = "Bearer ";
    private static final Logger LOG = Logger.getLogger(BearerTokenMechanism.class);

    private final AuthFailureLimiter failures;

    public BearerTokenMechanism(ApiAuthFailures failures) {
        this.failures = failures.limiter();
    }

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identityProviderManager) {
        String header = context.request().getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null) {
            return Uni.createFrom().optional(Optional.empty());
        }
        String address = clientAddress(context);
        if (failures.blocked(address)) {
            return Uni.createFrom().failure(new TooManyAuthFailuresException(failures.blockedForMs(address)));
        }
        if (!header.regionMatches(true, 0, BEARER, 0, BEARER.length()) || header.substring(BEARER.length()).isBlank()) {
            return refused(context, address, "the Authorization header must be 'Bearer <token>'");
        }
        String token = header.substring(BEARER.length()).strip();
        AuthenticationRequest request = HttpSecurityUtils.setRoutingContextAttribute(
                new TokenAuthenticationRequest(new TokenCredential(token, "bearer")), context);
        return identityProviderManager.authenticate(request)
                .onFailure(AuthenticationFailedException.class)
                .recoverWithUni(e -> refused(context, address, e.getMessage()));
    }

    private Uni<SecurityIdentity> refused(RoutingContext context, String address, String reason) {
        context.put(FAILURE_REASON, reason);
        if (failures.recordFailure(address)) {
            LOG.warnf("api auth: address %s blocked after repeated failed authentications", address);
        }
        return Uni.createFrom().failure(new AuthenticationFailedException(reason));
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(new ChallengeData(401, WWW_AUTHENTICATE, CHALLENGE));
    }

    /** The 401 of a refused token, with a JSON body saying why (the HTTP layer would send an empty one). */
    @Override
    public Uni<Boolean> sendChallenge(RoutingContext context) {
        String reason = context.get(FAILURE_REASON);
        AuthErrorResponses.send(context, 401, AuthErrorBody.unauthorized(reason == null ? AuthErrorResponses.NO_TOKEN : reason),
                WWW_AUTHENTICATE, CHALLENGE);
        return Uni.createFrom().item(true);
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(TokenAuthenticationRequest.class);
    }

    @Override
    public Uni<HttpCredentialTransport> getCredentialTransport(RoutingContext context) {
        return Uni.createFrom().item(new HttpCredentialTransport(HttpCredentialTransport.Type.AUTHORIZATION, "bearer"));
    }

    static String clientAddress(RoutingContext context) {
        var remote = context.request().remoteAddress();
        return remote == null || remote.host() == null ? "" : remote.host();
    }
}
