package io.streammanager.composition.sources;

import io.streammanager.bus.control.spec.ImageLayer;
import io.streammanager.bus.control.spec.Layer;
import io.streammanager.bus.control.spec.StreamSpec;
import io.streammanager.bus.control.spec.VideoLayer;
import io.streammanager.composition.assets.Asset;
import io.streammanager.composition.assets.AssetIds;
import io.streammanager.composition.assets.AssetStore;
import io.streammanager.composition.stream.InvalidSpecException;
import io.streammanager.composition.stream.SceneReferences;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** URLs must pass the allow list; {@code asset:<id>} must name a stored asset of the right kind. */
@ApplicationScoped
public class SourceReferences implements SceneReferences {

    private final UrlPolicy policy;
    private final AssetStore assets;

    public SourceReferences(UrlPolicy policy, AssetStore assets) {
        this.policy = policy;
        this.assets = assets;
    }

    @Override
    public void check(StreamSpec spec) {
        List<Layer> layers = spec.scene().layers();
        for (int i = 0; i < layers.size(); i++) {
            String path = "scene.layers[" + i + "]";
            switch (layers.get(i)) {
                case ImageLayer image -> picture(path + ".source", image.source());
                case VideoLayer video -> {
                    video(path + ".source", video.source());
                    if (video.fallback() != null && video.fallback().source() != null) {
                        picture(path + ".fallback.source", video.fallback().source());
                    }
                }
                default -> { }
            }
        }
        if (spec.scene().slate() != null && spec.scene().slate().source() != null) {
            picture("scene.slate.source", spec.scene().slate().source());
        }
    }

    private void picture(String field, String source) {
        String id = AssetIds.of(source);
        if (id == null) {
            policy.check(field, source, UrlPolicy.IMAGE_SCHEMES);
        } else if (asset(field, id).video()) {
            throw new InvalidSpecException(field, "asset " + id + " is a video, not a picture");
        }
    }

    private void video(String field, String source) {
        String id = AssetIds.of(source);
        if (id == null) {
            policy.check(field, source, UrlPolicy.VIDEO_SCHEMES);
        } else if (!asset(field, id).video()) {
            throw new InvalidSpecException(field, "asset " + id + " is a picture, not a video");
        }
    }

    private Asset asset(String field, String id) {
        return assets.find(id).orElseThrow(() -> new InvalidSpecException(field, "no asset with id " + id));
    }
}
