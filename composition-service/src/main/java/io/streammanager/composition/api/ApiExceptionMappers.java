package io.streammanager.composition.api;

import io.streammanager.composition.assets.AssetInUseException;
import io.streammanager.composition.assets.AssetNotFoundException;
import io.streammanager.composition.assets.InvalidAssetException;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.streammanager.composition.stream.InvalidPatchException;
import io.streammanager.composition.stream.InvalidSpecException;
import io.streammanager.composition.stream.OutputNotFoundException;
import io.streammanager.composition.stream.UpdateConflictException;
import io.streammanager.composition.stream.StreamLimitException;
import io.streammanager.composition.stream.StreamNameTakenException;
import io.streammanager.composition.stream.StreamNotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Maps every client error to a status and an {@link ErrorBody}. The Jackson mappers are registered for each
 * exception type Quarkus REST has a built-in mapper for, so ours (user mappers win) answer instead.
 */
public class ApiExceptionMappers {

    @ServerExceptionMapper
    public Response invalidSpec(InvalidSpecException e) {
        return answer(Response.Status.BAD_REQUEST, new ErrorBody(ErrorBody.INVALID_SPEC, e.field(), e.reason()));
    }

    @ServerExceptionMapper({JsonProcessingException.class,
            com.fasterxml.jackson.databind.JsonMappingException.class,
            com.fasterxml.jackson.databind.exc.MismatchedInputException.class,
            com.fasterxml.jackson.databind.exc.InvalidTypeIdException.class,
            com.fasterxml.jackson.databind.exc.InvalidFormatException.class,
            com.fasterxml.jackson.databind.exc.ValueInstantiationException.class,
            com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException.class,
            com.fasterxml.jackson.core.JsonParseException.class})
    public Response unreadableBody(JsonProcessingException e) {
        return answer(Response.Status.BAD_REQUEST, JsonErrors.toErrorBody(e));
    }

    /**
     * Quarkus REST wraps syntax errors (and other read failures that are not mismatches) into a bare 400
     * {@link WebApplicationException}; unwrap those to name the field. Every other one keeps its own response.
     */
    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e) {
        if (e.getCause() instanceof JsonProcessingException json) {
            return unreadableBody(json);
        }
        return e.getResponse();
    }

    @ServerExceptionMapper
    public Response invalidPatch(InvalidPatchException e) {
        return unreadableBody(e.json());
    }

    @ServerExceptionMapper
    public Response conflict(UpdateConflictException e) {
        Response.Status status = e.preconditionFailed() ? Response.Status.PRECONDITION_FAILED : Response.Status.CONFLICT;
        return Response.status(status).type(MediaType.APPLICATION_JSON)
                .tag(new EntityTag(Long.toString(e.currentVersion())))
                .entity(new ErrorBody(e.preconditionFailed() ? "version mismatch" : "concurrent update",
                        e.preconditionFailed() ? "If-Match" : null, e.getMessage()))
                .build();
    }

    @ServerExceptionMapper
    public Response outputNotFound(OutputNotFoundException e) {
        return answer(Response.Status.NOT_FOUND, new ErrorBody("output not found", "outputId", e.getMessage()));
    }

    @ServerExceptionMapper
    public Response notFound(StreamNotFoundException e) {
        return answer(Response.Status.NOT_FOUND, new ErrorBody("stream not found", null, e.getMessage()));
    }

    @ServerExceptionMapper
    public Response nameTaken(StreamNameTakenException e) {
        return answer(Response.Status.CONFLICT, new ErrorBody("stream name taken", "name", e.getMessage()));
    }

    @ServerExceptionMapper
    public Response limitReached(StreamLimitException e) {
        return answer(Response.Status.TOO_MANY_REQUESTS, new ErrorBody("stream limit reached", null, e.getMessage()));
    }

    @ServerExceptionMapper
    public Response invalidAsset(InvalidAssetException e) {
        // the client may still be sending a refused upload: close rather than read (drain) the rest of it
        return Response.status(Response.Status.BAD_REQUEST).type(MediaType.APPLICATION_JSON).header("Connection", "close")
                .entity(ErrorBody.invalidAsset(e)).build();
    }

    @ServerExceptionMapper
    public Response assetNotFound(AssetNotFoundException e) {
        return answer(Response.Status.NOT_FOUND, new ErrorBody("asset not found", "id", e.getMessage()));
    }

    @ServerExceptionMapper
    public Response assetInUse(AssetInUseException e) {
        return answer(Response.Status.CONFLICT, new ErrorBody("asset in use", "id", e.getMessage()));
    }

    private static Response answer(Response.Status status, ErrorBody body) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(body).build();
    }
}
