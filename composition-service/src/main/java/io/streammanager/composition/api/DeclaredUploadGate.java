package io.streammanager.composition.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.streammanager.composition.assets.Assets;
import io.streammanager.composition.assets.InvalidAssetException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * An asset upload that declares a length over {@code composition.assets.max-bytes} is answered like any refused asset
 * (400, field {@code body}, the limit named) before its body is read. Without this the HTTP layer's own body limit
 * answers first, with a bare 413 that says nothing of which limit or why.
 */
@ApplicationScoped
class DeclaredUploadGate {

    private final Assets assets;
    private final ObjectMapper json;

    DeclaredUploadGate(Assets assets, ObjectMapper json) {
        this.assets = assets;
        this.json = json;
    }

    void register(@Observes Router router) {
        router.post(AssetResource.PATH).order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 1).handler(context -> {
            String declared = context.request().getHeader(HttpHeaders.CONTENT_LENGTH);
            if (declared == null || context.request().getHeader(HttpHeaders.AUTHORIZATION) == null) {
                context.next(); // no token: the security layer answers (401), this gate tells strangers nothing
                return;
            }
            try {
                assets.checkDeclaredLength(Long.valueOf(declared.strip()));
                context.next();
            } catch (NumberFormatException e) {
                context.next(); // the HTTP layer refuses a malformed length itself
            } catch (InvalidAssetException refused) {
                context.response().setStatusCode(400)
                        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                        .putHeader(HttpHeaders.CONNECTION, "close") // do not read (drain) the rest of the upload
                        .end(body(refused));
            }
        });
    }

    private String body(InvalidAssetException refused) {
        try {
            return json.writeValueAsString(ErrorBody.invalidAsset(refused));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an ErrorBody is always writable", e);
        }
    }
}
