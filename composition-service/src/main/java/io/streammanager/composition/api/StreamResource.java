package io.streammanager.composition.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streammanager.bus.auth.Roles;
import io.streammanager.bus.control.spec.StreamSpec;
import io.streammanager.composition.config.CompositionConfig;
import io.streammanager.composition.stream.StreamLifecycle;
import io.streammanager.composition.stream.StreamNotFoundException;
import io.streammanager.composition.stream.RunningStream;
import io.streammanager.composition.stream.StreamRegistry;
import io.streammanager.composition.stream.StreamStore;
import io.streammanager.composition.stream.StreamUpdates;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import java.util.Map;

/**
 * Stream provisioning and live control: create, list, show, change (JSON Merge Patch, with the version as ETag and
 * If-Match), delete, and the outputs of a running stream one by one. Runs on worker threads (all calls below block
 * on Redis). Reading needs a viewer token, every change an operator's.
 */
@RolesAllowed(Roles.OPERATOR)
@Path("/api/v1/streams")
@Produces(MediaType.APPLICATION_JSON)
public class StreamResource {

    /** RFC 7386's media type; plain JSON is taken too, as most clients send it by default. */
    static final String MERGE_PATCH = "application/merge-patch+json";

    private final StreamLifecycle lifecycle;
    private final StreamUpdates updates;
    private final StreamStore store;
    private final StreamRegistry registry;
    private final ObjectMapper json;
    private final String playbackBaseUrl;

    public StreamResource(StreamLifecycle lifecycle, StreamUpdates updates, StreamStore store, StreamRegistry registry,
                          ObjectMapper json, CompositionConfig config) {
        this.lifecycle = lifecycle;
        this.updates = updates;
        this.store = store;
        this.registry = registry;
        this.json = json;
        this.playbackBaseUrl = config.gateway().playbackBaseUrl();
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(StreamSpec request, @Context UriInfo uri) {
        StreamSpec spec = lifecycle.create(request);
        return Response.created(uri.getAbsolutePathBuilder().path(spec.id()).build()).tag(etag(spec))
                .entity(view(spec)).build();
    }

    @GET
    @RolesAllowed(Roles.VIEWER)
    public List<StreamView> list() {
        return store.all().stream().map(this::view).toList();
    }

    @GET
    @RolesAllowed(Roles.VIEWER)
    @Path("/{id}")
    public Response get(@PathParam("id") String id) {
        StreamSpec spec = find(id);
        return Response.ok(view(spec)).tag(etag(spec)).build();
    }

    /** Changes a running stream; each part is applied where it lives, and nothing else moves. */
    @PATCH
    @Path("/{id}")
    @Consumes({MERGE_PATCH, MediaType.APPLICATION_JSON})
    public Response patch(@PathParam("id") String id, @HeaderParam("If-Match") String ifMatch, JsonNode patch) {
        StreamSpec spec = updates.patch(id, IfMatch.version(ifMatch), patch);
        return Response.ok(view(spec)).tag(etag(spec)).build();
    }

    @DELETE
    @Path("/{id}")
    public Response delete(@PathParam("id") String id) {
        lifecycle.delete(id);
        return Response.noContent().build();
    }

    @GET
    @RolesAllowed(Roles.VIEWER)
    @Path("/{id}/outputs")
    public List<StreamView.OutputView> outputs(@PathParam("id") String id) {
        return view(find(id)).outputs();
    }

    @GET
    @RolesAllowed(Roles.VIEWER)
    @Path("/{id}/outputs/{outputId}")
    public Response output(@PathParam("id") String id, @PathParam("outputId") String outputId) {
        StreamSpec spec = find(id);
        return Response.ok(outputView(spec, outputId)).tag(etag(spec)).build();
    }

    /** Adds an output to the running stream; the others see no reconnect. */
    @POST
    @Path("/{id}/outputs")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response addOutput(@PathParam("id") String id, @HeaderParam("If-Match") String ifMatch, JsonNode output,
                              @Context UriInfo uri) {
        StreamSpec spec = updates.addOutput(id, IfMatch.version(ifMatch), output);
        String outputId = output.path("id").asText();
        return Response.created(uri.getAbsolutePathBuilder().path(outputId).build()).tag(etag(spec))
                .entity(outputView(spec, outputId)).build();
    }

    /** Changes one output, e.g. {@code {"enabled": false}} pauses it without forgetting it. */
    @PATCH
    @Path("/{id}/outputs/{outputId}")
    @Consumes({MERGE_PATCH, MediaType.APPLICATION_JSON})
    public Response patchOutput(@PathParam("id") String id, @PathParam("outputId") String outputId,
                                @HeaderParam("If-Match") String ifMatch, JsonNode patch) {
        StreamSpec spec = updates.patchOutput(id, IfMatch.version(ifMatch), outputId, patch);
        return Response.ok(outputView(spec, outputId)).tag(etag(spec)).build();
    }

    @DELETE
    @Path("/{id}/outputs/{outputId}")
    public Response removeOutput(@PathParam("id") String id, @PathParam("outputId") String outputId,
                                 @HeaderParam("If-Match") String ifMatch) {
        StreamSpec spec = updates.removeOutput(id, IfMatch.version(ifMatch), outputId);
        return Response.noContent().tag(etag(spec)).build();
    }

    /** Reconnects a FAILED or RETRYING output now, with its attempts reset; the muxer acts on it asynchronously. */
    @POST
    @Path("/{id}/outputs/{outputId}/restart")
    public Response restartOutput(@PathParam("id") String id, @PathParam("outputId") String outputId) {
        updates.restartOutput(id, outputId);
        return Response.accepted().build();
    }

    private StreamSpec find(String id) {
        return store.find(id).orElseThrow(() -> new StreamNotFoundException(id));
    }

    private StreamView.OutputView outputView(StreamSpec spec, String outputId) {
        StreamUpdates.output(spec, outputId); // 404 for an unknown id
        return view(spec).outputs().stream().filter(o -> outputId.equals(o.id())).findFirst().orElseThrow();
    }

    private StreamView view(StreamSpec spec) {
        return StreamView.of(spec, registry.state(spec.id()), store.status(spec.id()), playbackBaseUrl, json,
                registry.find(spec.id()).<Map<String, ?>>map(RunningStream::sources).orElse(Map.of()));
    }

    private static EntityTag etag(StreamSpec spec) {
        return new EntityTag(Long.toString(spec.version()));
    }
}
