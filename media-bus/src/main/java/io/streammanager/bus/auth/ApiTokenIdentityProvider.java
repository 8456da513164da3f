package io.streammanager.bus.auth;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/**
 * Turns a bearer token into an identity: the bootstrap admin token, or a stored {@link ApiToken} that has not
 * expired. The principal is the token's id (never the token); the roles are the token's role and those below it.
 */
@ApplicationScoped
public class ApiTokenIdentityProvider implements IdentityProvider<TokenAuthenticationRequest> {

    /** A lookup is one HGETALL: when Redis takes longer than this it is not answering, and the caller should hear so. */
    static final Duration LOOKUP_TIMEOUT = Duration.ofSeconds(2);

    private final ApiTokenStore store;
    private final BootstrapAdminToken bootstrap;

    public ApiTokenIdentityProvider(ApiTokenStore store, BootstrapAdminToken bootstrap) {
        this.store = store;
        this.bootstrap = bootstrap;
    }

    @Override
    public Class<TokenAuthenticationRequest> getRequestType() {
        return TokenAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(TokenAuthenticationRequest request, AuthenticationRequestContext context) {
        String secret = request.getToken().getToken();
        if (bootstrap.matches(secret)) {
            return Uni.createFrom().item(identity(BootstrapAdminToken.ID, Roles.ADMIN));
        }
        return store.findBySecret(secret)
                .ifNoItem().after(LOOKUP_TIMEOUT).fail()
                .onFailure().transform(TokenStoreUnavailableException::new)
                .map(found -> {
                    ApiToken token = found.orElseThrow(() -> new AuthenticationFailedException("unknown or revoked token"));
                    if (token.expiredAt(System.currentTimeMillis())) {
                        throw new AuthenticationFailedException("token " + token.id() + " has expired");
                    }
                    return identity(token.id(), token.role());
                });
    }

    private static SecurityIdentity identity(String tokenId, String role) {
        return QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal(tokenId))
                .addRoles(Roles.granted(role))
                .build();
    }
}
