package io.streammanager.composition.api;

import io.streammanager.bus.auth.Roles;
import io.streammanager.composition.assets.Asset;
import io.streammanager.composition.assets.Assets;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import io.streammanager.composition.assets.InvalidAssetException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;
import java.util.List;

/**
 * Pictures and clips for scenes: {@code POST} the file as the raw body with its Content-Type ({@code image/png},
 * {@code image/jpeg}, {@code image/webp}, {@code image/gif}, {@code video/mp4}, {@code video/webm}, and sound files
 * {@code audio/mpeg}, {@code audio/aac}, {@code audio/mp4}, {@code audio/ogg}, {@code audio/wav}) and get 201
 * {@code {id, type, width, height, durationMs, bytes}}; layers name it {@code asset:<id>}. The body is streamed:
 * its size limit holds while it is read. A multipart form with a part named {@code file} is taken too. Runs on worker threads (Redis and file I/O).
 */
@RolesAllowed(Roles.OPERATOR)
@Path(AssetResource.PATH)
@Produces(MediaType.APPLICATION_JSON)
public class AssetResource {

    static final String PATH = "/api/v1/assets";

    private final Assets assets;

    public AssetResource(Assets assets) {
        this.assets = assets;
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    public Response upload(InputStream body, @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
                           @HeaderParam(HttpHeaders.CONTENT_LENGTH) Long contentLength, @Context UriInfo uri) {
        Asset asset = assets.upload(body, contentType, contentLength);
        return Response.created(uri.getAbsolutePathBuilder().path(asset.id()).build()).entity(asset).build();
    }

    /**
     * The same upload as a multipart form (a browser's file input): the part named {@code file}, with its own
     * Content-Type. The HTTP layer spools the part to a temporary file, removed after the request.
     */
    @POST
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    public Response uploadForm(@RestForm("file") FileUpload file, @Context UriInfo uri) throws IOException {
        if (file == null) {
            throw new InvalidAssetException("file", "a multipart upload needs a part named file");
        }
        Asset asset;
        try (InputStream in = Files.newInputStream(file.uploadedFile())) {
            asset = assets.upload(in, file.contentType(), file.size());
        }
        return Response.created(uri.getAbsolutePathBuilder().path(asset.id()).build()).entity(asset).build();
    }

    @GET
    @RolesAllowed(Roles.VIEWER)
    public List<Asset> list() {
        return assets.all();
    }

    @GET
    @RolesAllowed(Roles.VIEWER)
    @Path("/{id}")
    public Asset get(@PathParam("id") String id) {
        return assets.get(id);
    }

    @DELETE
    @Path("/{id}")
    public Response delete(@PathParam("id") String id) {
        assets.delete(id);
        return Response.noContent().build();
    }
}
