package io.streammanager.composition.api;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.sortedset.ScoreRange;
import io.quarkus.redis.datasource.sortedset.SortedSetCommands;
import io.quarkus.redis.datasource.value.ValueCommands;
import io.streammanager.bus.auth.Roles;
import io.streammanager.bus.control.RedisKeys;
import io.streammanager.bus.control.ThumbnailEntry;
import io.streammanager.composition.stream.StreamNotFoundException;
import io.streammanager.composition.stream.StreamStore;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.awt.Image;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * A stream's thumbnails, made by the encoder every few seconds ({@code encoder.thumbnails.*}) and read here from
 * Redis ({@link RedisKeys#thumbnails}, {@link RedisKeys#thumbnail}): the latest as {@code thumbnail.jpg}, the small
 * rolling set a console shows, and each of that set by its capture time. {@code X-Capture-Time} (epoch ms) and
 * {@code Last-Modified} say when the frame was captured. {@code ?width=} smaller than the stored picture rescales it
 * here: the encoder makes one JPEG per period whatever its viewers ask for, and scaling down a picture of at most
 * 640 pixels costs a few milliseconds on the request's worker thread. Never wider than stored (no upscaling).
 */
@RolesAllowed(Roles.VIEWER)
@Path("/api/v1/streams/{id}")
public class ThumbnailResource {

    static final String JPEG = "image/jpeg";
    static final String CAPTURE_TIME = "X-Capture-Time";
    /** Narrower than this is no picture; wider than any stored one is never needed. */
    static final int MIN_WIDTH = 16;
    static final int MAX_WIDTH = 4096;
    /** Quality of a rescaled picture: the encoder's default ({@code encoder.thumbnails.quality=80}). */
    private static final float RESCALE_QUALITY = 0.8f;

    private final StreamStore streams;
    private final SortedSetCommands<String, String> index;
    private final ValueCommands<String, byte[]> images;

    public ThumbnailResource(StreamStore streams, RedisDataSource redis) {
        this.streams = streams;
        this.index = redis.sortedSet(String.class);
        this.images = redis.value(byte[].class);
    }

    /** One entry of the rolling set, newest first in the listing. */
    public record ThumbnailView(long captureTimeMs, Instant captureTime, int width, int height, int bytes,
                                String url) {
    }

    @GET
    @Path("/thumbnail.jpg")
    @Produces({JPEG, MediaType.APPLICATION_JSON})
    public Response latest(@PathParam("id") String id, @Context UriInfo uri) {
        requireStream(id);
        Integer wanted = width(uri);
        List<String> newest = index.zrange(RedisKeys.thumbnails(id), -1, -1);
        Optional<Response> answer = newest.isEmpty() ? Optional.empty()
                : image(id, ThumbnailEntry.parse(newest.getFirst()), wanted, "no-cache");
        return answer.orElseGet(() -> notFound("stream " + id + " has no thumbnail yet: the encoder stores one every"
                + " few seconds while the stream runs"));
    }

    @GET
    @Path("/thumbnails")
    @Produces(MediaType.APPLICATION_JSON)
    public List<ThumbnailView> list(@PathParam("id") String id) {
        requireStream(id);
        List<String> members = index.zrange(RedisKeys.thumbnails(id), 0, -1);
        List<ThumbnailView> views = new ArrayList<>(members.size());
        for (int i = members.size() - 1; i >= 0; i--) {
            ThumbnailEntry entry = ThumbnailEntry.parse(members.get(i));
            views.add(new ThumbnailView(entry.captureTimeMs(), Instant.ofEpochMilli(entry.captureTimeMs()),
                    entry.width(), entry.height(), entry.bytes(),
                    "/api/v1/streams/" + id + "/thumbnails/" + entry.captureTimeMs() + ".jpg"));
        }
        return views;
    }

    @GET
    @Path("/thumbnails/{captureTime}.jpg")
    @Produces({JPEG, MediaType.APPLICATION_JSON})
    public Response one(@PathParam("id") String id, @PathParam("captureTime") String captureTime,
                        @Context UriInfo uri) {
        requireStream(id);
        Integer wanted = width(uri);
        long captureMs;
        try {
            captureMs = Long.parseLong(captureTime);
        } catch (NumberFormatException e) {
            throw badRequest("captureTime", "must be a capture time in epoch milliseconds, as listed");
        }
        List<String> found = index.zrangebyscore(RedisKeys.thumbnails(id), ScoreRange.from(captureMs, captureMs));
        Optional<Response> answer = found.isEmpty() ? Optional.empty()
                // a given capture time's picture never changes
                : image(id, ThumbnailEntry.parse(found.getFirst()), wanted, "private, max-age=300, immutable");
        return answer.orElseGet(() -> notFound("stream " + id + " has no thumbnail captured at " + captureTime
                + " (the set keeps only the newest few)"));
    }

    private void requireStream(String id) {
        if (streams.find(id).isEmpty()) {
            throw new StreamNotFoundException(id);
        }
    }

    /** The picture, rescaled if asked narrower; empty if its JPEG has expired or was just trimmed. */
    private Optional<Response> image(String id, ThumbnailEntry entry, Integer width, String cacheControl) {
        byte[] jpeg = images.get(RedisKeys.thumbnail(id, entry.captureTimeMs()));
        if (jpeg == null) {
            return Optional.empty();
        }
        byte[] body = width != null && width < entry.width() ? rescale(jpeg, width) : jpeg;
        return Optional.of(Response.ok(body, JPEG)
                .header(CAPTURE_TIME, Long.toString(entry.captureTimeMs()))
                .lastModified(new Date(entry.captureTimeMs()))
                .header("Cache-Control", cacheControl)
                .build());
    }

    /** Null without {@code width}; read from the raw query so that an empty {@code width=} is refused too. */
    private static Integer width(UriInfo uri) {
        List<String> values = uri.getQueryParameters().get("width");
        if (values == null) {
            return null;
        }
        String width = values.isEmpty() || values.getFirst() == null ? "" : values.getFirst();
        try {
            int value = Integer.parseInt(width.trim());
            if (value >= MIN_WIDTH && value <= MAX_WIDTH) {
                return value;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw badRequest("width", "must be a whole number of pixels from " + MIN_WIDTH + " to " + MAX_WIDTH
                + ", was '" + width + "'");
    }

    /** Area averaging: the clean way down for a small picture; the aspect is kept, the height rounded to even. */
    static byte[] rescale(byte[] jpeg, int width) {
        try {
            BufferedImage source = ImageIO.read(new ByteArrayInputStream(jpeg));
            if (source == null) {
                throw new IOException("stored thumbnail is not a readable JPEG");
            }
            int height = Math.max(2, (int) Math.round((double) source.getHeight() * width / source.getWidth() / 2) * 2);
            BufferedImage scaled = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
            scaled.getGraphics().drawImage(source.getScaledInstance(width, height, Image.SCALE_AREA_AVERAGING),
                    0, 0, null);
            ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(jpeg.length);
            try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
                ImageWriteParam param = writer.getDefaultWriteParam();
                param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                param.setCompressionQuality(RESCALE_QUALITY);
                writer.setOutput(out);
                writer.write(null, new IIOImage(scaled, null, null), param);
            } finally {
                writer.dispose();
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static jakarta.ws.rs.WebApplicationException badRequest(String field, String message) {
        return new jakarta.ws.rs.WebApplicationException(Response.status(Response.Status.BAD_REQUEST)
                .type(MediaType.APPLICATION_JSON).entity(new ErrorBody("invalid request", field, message)).build());
    }

    private static Response notFound(String message) {
        return Response.status(Response.Status.NOT_FOUND).type(MediaType.APPLICATION_JSON)
                .entity(new ErrorBody("no thumbnail", null, message)).build();
    }
}
