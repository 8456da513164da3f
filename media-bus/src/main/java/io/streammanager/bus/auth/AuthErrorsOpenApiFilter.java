package io.streammanager.bus.auth;

import io.quarkus.smallrye.openapi.OpenApiFilter;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.Schema;

/**
 * Gives every secured operation of every service's OpenAPI document its error answers with their schema: 401 (no,
 * wrong, expired or revoked token), 403 (role too low), 429 (address blocked) and 503 (token store down), each an {@link AuthErrorBody}.
 * Quarkus adds the 401/403 entries for {@code @RolesAllowed} but without a body; routes guarded only by the
 * {@code /api/*} policy get them here too, and the security requirement of the bearer scheme.
 */
@OpenApiFilter(stages = OpenApiFilter.RunStage.BUILD)
public class AuthErrorsOpenApiFilter implements OASFilter {

    static final String SCHEMA = "AuthErrorBody";
    /** The bearer scheme's name, as each service's application.properties sets quarkus.smallrye-openapi.security-scheme-name. */
    static final String SECURITY_SCHEME = "apiToken";
    private static final Map<String, String> ANSWERS = Map.of(
            "401", "no token, or a wrong, expired or revoked one",
            "403", "the token's role may not do this",
            "429", "too many failed authentications from this address (see Retry-After)",
            "503", "the token store does not answer, so the token cannot be checked (see Retry-After)");

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getPaths() == null || openAPI.getPaths().getPathItems() == null) {
            return;
        }
        if (openAPI.getComponents() == null) {
            openAPI.setComponents(OASFactory.createComponents());
        }
        if (openAPI.getComponents().getSchemas() == null || !openAPI.getComponents().getSchemas().containsKey(SCHEMA)) {
            Schema text = OASFactory.createSchema().type(List.of(Schema.SchemaType.STRING));
            openAPI.getComponents().addSchema(SCHEMA, OASFactory.createSchema().type(List.of(Schema.SchemaType.OBJECT))
                    .addProperty("error", text).addProperty("field", text).addProperty("message", text));
        }
        openAPI.getPaths().getPathItems().forEach((path, item) -> {
            if (path.startsWith("/api/") && item.getOperations() != null) {
                item.getOperations().values().forEach(AuthErrorsOpenApiFilter::addErrorAnswers);
            }
        });
    }

    private static void addErrorAnswers(Operation operation) {
        if (operation.getSecurity() == null || operation.getSecurity().isEmpty()) {
            operation.addSecurityRequirement(OASFactory.createSecurityRequirement().addScheme(SECURITY_SCHEME));
        }
        if (operation.getResponses() == null) {
            operation.setResponses(OASFactory.createAPIResponses());
        }
        ANSWERS.forEach((status, description) -> {
            var answer = operation.getResponses().getAPIResponse(status);
            if (answer == null) {
                answer = OASFactory.createAPIResponse().description(description);
                operation.getResponses().addAPIResponse(status, answer);
            }
            if (answer.getContent() == null || answer.getContent().getMediaTypes() == null
                    || answer.getContent().getMediaTypes().isEmpty()) {
                Content json = OASFactory.createContent().addMediaType("application/json", OASFactory.createMediaType()
                        .schema(OASFactory.createSchema().ref(SCHEMA)));
                answer.setContent(json);
            }
        });
    }
}
