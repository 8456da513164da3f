package io.streammanager.muxer.api;

import io.streammanager.bus.auth.Roles;
import io.streammanager.muxer.output.OutputStatus;
import io.streammanager.muxer.pipeline.PipelineManager;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;

/** Read-only view of the outputs this instance runs, per stream. No URLs: they may hold keys. Viewers may read it. */
@RolesAllowed(Roles.VIEWER)
@Path("/api/v1/outputs")
@Produces(MediaType.APPLICATION_JSON)
public class OutputsResource {
    private final PipelineManager pipelines;

    public OutputsResource(PipelineManager pipelines) {
        this.pipelines = pipelines;
    }

    public record StreamOutputs(String streamId, List<OutputStatus> outputs) {
    }

    @GET
    public List<StreamOutputs> list() {
        return pipelines.statuses().entrySet().stream()
                .map((Map.Entry<String, List<OutputStatus>> e) -> new StreamOutputs(e.getKey(), e.getValue()))
                .toList();
    }
}
