package io.streammanager.muxer.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streammanager.bus.auth.Roles;
import io.streammanager.muxer.recording.RecordingView;
import io.streammanager.muxer.recording.Recordings;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.regex.Pattern;

/**
 * Recordings of the streams this instance runs: start one of a rendition, list, read, download (with Range) and stop
 * or remove. Viewers read; operators start and stop. Recordings started from a spec's {@code record:} output are
 * listed here too.
 */
@Path("/api/v1/streams/{streamId}/recordings")
@Produces(MediaType.APPLICATION_JSON)
public class RecordingsResource {
    /** A day: longer recordings are a stream's {@code record:} output, split by segment-minutes. */
    static final int MAX_DURATION_S = 86_400;
    private static final Pattern RENDITION = Pattern.compile("[a-z0-9_-]{1,16}");

    private final Recordings recordings;
    private final ObjectMapper json;

    public RecordingsResource(Recordings recordings, ObjectMapper json) {
        this.recordings = recordings;
        this.json = json;
    }

    /** The JSON error answer: what went wrong, the field it is about (or null), and why. */
    public record ErrorBody(String error, String field, String message) {
    }

    @POST
    @RolesAllowed(Roles.OPERATOR)
    @Consumes(MediaType.WILDCARD)
    public Response start(@PathParam("streamId") String streamId, String body) {
        JsonNode request;
        try {
            request = body == null || body.isBlank() ? json.createObjectNode() : json.readTree(body);
        } catch (IOException e) {
            return error(400, "invalid request", "body", "must be a JSON object {rendition?, maxDurationS?}");
        }
        if (request == null || !request.isObject()) {
            return error(400, "invalid request", "body", "must be a JSON object {rendition?, maxDurationS?}");
        }
        for (var names = request.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!name.equals("rendition") && !name.equals("maxDurationS")) {
                return error(400, "invalid request", name, "is not a recording field (rendition, maxDurationS)");
            }
        }
        String rendition = null;
        JsonNode renditionNode = request.get("rendition");
        if (renditionNode != null && !renditionNode.isNull()) {
            if (!renditionNode.isTextual() || !RENDITION.matcher(renditionNode.asText()).matches()) {
                return error(400, "invalid request", "rendition", "must be a rendition id [a-z0-9_-]{1,16}");
            }
            rendition = renditionNode.asText();
        }
        Integer maxDurationS = null;
        JsonNode durationNode = request.get("maxDurationS");
        if (durationNode != null && !durationNode.isNull()) {
            if (!durationNode.isIntegralNumber() || durationNode.asLong() < 1 || durationNode.asLong() > MAX_DURATION_S) {
                return error(400, "invalid request", "maxDurationS", "must be a whole number of seconds from 1 to "
                        + MAX_DURATION_S);
            }
            maxDurationS = durationNode.asInt();
        }
        try {
            return recordings.start(streamId, rendition, maxDurationS)
                    .map(view -> Response.created(URI.create("/api/v1/streams/" + streamId + "/recordings/" + view.id()))
                            .entity(view).build())
                    .orElseGet(() -> streamNotFound(streamId));
        } catch (Recordings.Refused e) {
            return refused(e);
        }
    }

    @GET
    @RolesAllowed(Roles.VIEWER)
    public Response list(@PathParam("streamId") String streamId) {
        return recordings.list(streamId).map(list -> Response.ok(list).build())
                .orElseGet(() -> streamNotFound(streamId));
    }

    @GET
    @Path("/{recordingId}")
    @RolesAllowed(Roles.VIEWER)
    public Response get(@PathParam("streamId") String streamId, @PathParam("recordingId") String recordingId) {
        return recordings.get(streamId, recordingId).map(view -> Response.ok(view).build())
                .orElseGet(() -> recordingNotFound(recordingId));
    }

    @GET
    @Path("/{recordingId}/file")
    @RolesAllowed(Roles.VIEWER)
    @Produces({"video/mp4", "video/webm", MediaType.APPLICATION_JSON})
    public Response file(@PathParam("streamId") String streamId, @PathParam("recordingId") String recordingId,
                         @QueryParam("part") Integer part, @HeaderParam("Range") String range) throws IOException {
        if (part != null && part < 0) {
            return error(400, "invalid request", "part", "must be 0 or more");
        }
        var file = recordings.part(streamId, recordingId, part == null ? 0 : part).orElse(null);
        if (file == null) {
            return recordings.get(streamId, recordingId).isEmpty() ? recordingNotFound(recordingId)
                    : error(404, "not found", "part", "recording " + recordingId + " has no part " + part);
        }
        long size = Files.size(file); // a part being written grows: serve what it holds now
        String type = file.getFileName().toString().endsWith(".webm") ? "video/webm" : "video/mp4";
        ByteRange byteRange;
        try {
            byteRange = ByteRange.parse(range, size);
        } catch (ByteRange.Unsatisfiable e) {
            return Response.status(416).header("Content-Range", "bytes */" + size).type(MediaType.APPLICATION_JSON)
                    .entity(new ErrorBody("range not satisfiable", "Range", e.getMessage())).build();
        }
        long start = byteRange == null ? 0 : byteRange.start();
        long length = byteRange == null ? size : byteRange.length();
        StreamingOutput content = out -> copy(file, start, length, out);
        Response.ResponseBuilder answer = byteRange == null ? Response.ok(content)
                : Response.status(206).entity(content).header("Content-Range",
                        "bytes " + byteRange.start() + "-" + byteRange.endInclusive() + "/" + size);
        return answer.type(type).header("Accept-Ranges", "bytes").header("Content-Length", length)
                .header("Content-Disposition", "attachment; filename=\"" + file.getFileName() + "\"").build();
    }

    private static void copy(java.nio.file.Path file, long start, long length, OutputStream out) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            channel.position(start);
            InputStream in = Channels.newInputStream(channel);
            byte[] buffer = new byte[64 * 1024];
            long left = length;
            while (left > 0) {
                int read = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                if (read < 0) {
                    break;
                }
                out.write(buffer, 0, read);
                left -= read;
            }
        }
    }

    @DELETE
    @Path("/{recordingId}")
    @RolesAllowed(Roles.OPERATOR)
    public Response delete(@PathParam("streamId") String streamId, @PathParam("recordingId") String recordingId)
            throws InterruptedException {
        try {
            return switch (recordings.delete(streamId, recordingId)) {
                case STOPPED -> Response.ok(recordings.get(streamId, recordingId).orElse(null)).build();
                case REMOVED -> Response.noContent().build();
                case NOT_FOUND -> recordingNotFound(recordingId);
            };
        } catch (Recordings.Refused e) {
            return refused(e);
        }
    }

    private static Response refused(Recordings.Refused e) {
        return error(e.status(), e.status() == 400 ? "invalid request" : "conflict", e.field(), e.getMessage());
    }

    private static Response streamNotFound(String streamId) {
        return error(404, "stream not found", "streamId", "stream " + streamId + " does not run on this muxer");
    }

    private static Response recordingNotFound(String recordingId) {
        return error(404, "recording not found", "recordingId", "no recording " + recordingId + " of this stream");
    }

    private static Response error(int status, String error, String field, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(new ErrorBody(error, field, message))
                .build();
    }
}
