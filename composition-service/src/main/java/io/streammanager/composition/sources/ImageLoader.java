package io.streammanager.composition.sources;

import io.streammanager.composition.assets.Asset;
import io.streammanager.composition.assets.AssetIds;
import io.streammanager.composition.assets.AssetStore;
import io.streammanager.composition.assets.InvalidAssetException;
import io.streammanager.composition.assets.MediaDecoding;
import io.streammanager.composition.config.CompositionConfig;
import io.streammanager.composition.stream.InvalidSpecException;
import jakarta.enterprise.context.ApplicationScoped;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Loads the picture an image layer, fallback or slate names: an asset, or an http(s) URL that passes the allow list,
 * fetched without following redirects (a redirect could lead past the allow list), within a time and size limit.
 * Every failure is an {@link InvalidSpecException} naming the layer's field.
 */
@ApplicationScoped
public class ImageLoader {

    private final AssetStore assets;
    private final UrlPolicy policy;
    private final long maxFetchBytes;
    private final Duration timeout;
    private final HttpClient http;

    public ImageLoader(AssetStore assets, UrlPolicy policy, CompositionConfig config) {
        this.assets = assets;
        this.policy = policy;
        this.maxFetchBytes = config.assets().maxFetchBytes().asLongValue();
        this.timeout = config.assets().fetchTimeout();
        this.http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).connectTimeout(timeout).build();
    }

    public BufferedImage load(String field, String source) {
        String assetId = AssetIds.of(source);
        try {
            if (assetId != null) {
                Asset asset = assets.find(assetId)
                        .orElseThrow(() -> new InvalidSpecException(field, "no asset with id " + assetId));
                if (asset.video() || asset.audio()) {
                    throw new InvalidSpecException(field, "asset " + assetId + " is " + asset.kind()
                            + ", not a picture");
                }
                return MediaDecoding.decodeImage(assets.read(asset), asset.type());
            }
            policy.check(field, source, UrlPolicy.IMAGE_SCHEMES);
            return fetch(field, source);
        } catch (InvalidAssetException e) {
            throw new InvalidSpecException(field, e.getMessage());
        }
    }

    private BufferedImage fetch(String field, String url) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(timeout).GET().build();
        try {
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                if (response.statusCode() != 200) {
                    throw new InvalidSpecException(field, "fetching the picture answered HTTP " + response.statusCode());
                }
                byte[] data = body.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxFetchBytes + 1));
                if (data.length > maxFetchBytes) {
                    throw new InvalidSpecException(field, "the picture is larger than composition.assets.max-fetch-bytes="
                            + maxFetchBytes);
                }
                String type = response.headers().firstValue("Content-Type").map(t -> t.split(";")[0].trim())
                        .orElse("image/png");
                return MediaDecoding.decodeImage(data, type);
            }
        } catch (IOException e) {
            throw new InvalidSpecException(field, "the picture could not be fetched: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InvalidSpecException(field, "the picture fetch was interrupted");
        }
    }
}
