package io.streammanager.composition.api;

import io.streammanager.bus.control.spec.StreamSpec;
import io.streammanager.composition.config.CompositionConfig;
import io.streammanager.composition.stream.StreamLifecycle;
import io.streammanager.composition.stream.StreamNotFoundException;
import io.streammanager.composition.stream.StreamRegistry;
import io.streammanager.composition.stream.StreamStore;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.core.Context;
import java.util.List;

/** Stream provisioning: create, list, show, delete. Runs on worker threads (all calls below block on Redis). */
@Path("/api/v1/streams")
@Produces(MediaType.APPLICATION_JSON)
public class StreamResource {

    private final StreamLifecycle lifecycle;
    private final StreamStore store;
    private final StreamRegistry registry;
    private final String playbackBaseUrl;

    public StreamResource(StreamLifecycle lifecycle, StreamStore store, StreamRegistry registry, CompositionConfig config) {
        this.lifecycle = lifecycle;
        this.store = store;
        this.registry = registry;
        this.playbackBaseUrl = config.gateway().playbackBaseUrl();
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(StreamSpec request, @Context UriInfo uri) {
        StreamSpec spec = lifecycle.create(request);
        return Response.created(uri.getAbsolutePathBuilder().path(spec.id()).build()).entity(view(spec)).build();
    }

    @GET
    public List<StreamView> list() {
        return store.all().stream().map(this::view).toList();
    }

    @GET
    @Path("/{id}")
    public StreamView get(@PathParam("id") String id) {
        return store.find(id).map(this::view).orElseThrow(() -> new StreamNotFoundException(id));
    }

    @DELETE
    @Path("/{id}")
    public Response delete(@PathParam("id") String id) {
        lifecycle.delete(id);
        return Response.noContent().build();
    }

    private StreamView view(StreamSpec spec) {
        return StreamView.of(spec, registry.state(spec.id()), playbackBaseUrl);
    }
}
