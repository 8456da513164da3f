package io.streammanager.composition.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.streammanager.bus.auth.ApiToken;
import io.streammanager.bus.auth.ApiTokenStore;

/**
 * An API token as the API shows it. {@code token} is set only in the answer to its creation, the one time the
 * secret is shown; listings carry the {@code hint} instead.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TokenView(String id, String role, long createdAtMs, long expiresAtMs, String description, String hint,
                        String token) {

    static TokenView listed(ApiToken token) {
        return new TokenView(token.id(), token.role(), token.createdAtMs(), token.expiresAtMs(), token.description(),
                token.hint(), null);
    }

    static TokenView issued(ApiTokenStore.IssuedToken issued) {
        ApiToken token = issued.token();
        return new TokenView(token.id(), token.role(), token.createdAtMs(), token.expiresAtMs(), token.description(),
                token.hint(), issued.secret());
    }
}
