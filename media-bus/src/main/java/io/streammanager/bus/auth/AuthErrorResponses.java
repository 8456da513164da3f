package io.streammanager.bus.auth;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Writes the JSON answers of the HTTP security layer, and answers 429 for an address blocked by
 * {@link BearerTokenMechanism} (its failure reaches the router's failure handlers, not the REST layer), and 503 when
 * the token store does not answer.
 */
@ApplicationScoped
public class AuthErrorResponses {

    static final String NO_TOKEN = "this API needs 'Authorization: Bearer <token>'";
    private static final ObjectMapper JSON = new ObjectMapper();

    void register(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).failureHandler(context -> {
            if (context.failure() instanceof TooManyAuthFailuresException blocked && !context.response().ended()) {
                send(context, 429, AuthErrorBody.tooManyFailures("too many failed authentications from this address: "
                        + "try again in " + blocked.retryAfterSeconds() + " s"),
                        HttpHeaders.RETRY_AFTER.toString(), Long.toString(blocked.retryAfterSeconds()));
            } else if (unavailableStore(context.failure()) && !context.response().ended()) {
                send(context, 503, AuthErrorBody.storeUnavailable("the API token store (Redis) does not answer, so this "
                        + "token cannot be checked: try again shortly"),
                        HttpHeaders.RETRY_AFTER.toString(), Long.toString(TokenStoreUnavailableException.RETRY_AFTER_SECONDS));
            } else {
                context.next();
            }
        });
    }

    /** Quarkus may wrap what the identity provider failed with; the cause chain still holds it. */
    private static boolean unavailableStore(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof TokenStoreUnavailableException) {
                return true;
            }
        }
        return false;
    }

    static void send(RoutingContext context, int status, AuthErrorBody body, String header, String value) {
        if (context.response().ended()) {
            return;
        }
        context.response().setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .putHeader(header, value)
                .end(json(body));
    }

    static String json(AuthErrorBody body) {
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an AuthErrorBody is always writable", e);
        }
    }
}
