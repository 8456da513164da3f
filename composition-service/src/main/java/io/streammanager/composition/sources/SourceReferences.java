package io.streammanager.composition.sources;

import io.streammanager.bus.control.spec.AudioLayer;
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

/**
 * URLs must pass the allow list; {@code asset:<id>} must name a stored asset of the right kind (a picture for image
 * layers, a video for video layers, a video or sound file for audio layers).
 */
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
                case AudioLayer audio -> sound(path + ".source", audio.source());
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
        } else {
            Asset asset = asset(field, id);
            if (asset.video() || asset.audio()) {
                throw new InvalidSpecException(field, "asset " + id + " is " + asset.kind() + ", not a picture");
            }
        }
    }

    private void video(String field, String source) {
        String id = AssetIds.of(source);
        if (id == null) {
            policy.check(field, source, UrlPolicy.VIDEO_SCHEMES);
        } else {
            Asset asset = asset(field, id);
            if (!asset.video()) {
                throw new InvalidSpecException(field, "asset " + id + " is " + asset.kind() + ", not a video");
            }
        }
    }

    /** An audio layer plays the sound of a sound file or of a video (same URL forms as a video layer). */
    private void sound(String field, String source) {
        String id = AssetIds.of(source);
        if (id == null) {
            policy.check(field, source, UrlPolicy.VIDEO_SCHEMES);
        } else {
            Asset asset = asset(field, id);
            if (!asset.video() && !asset.audio()) {
                throw new InvalidSpecException(field, "asset " + id + " is a picture, it has no sound");
            }
        }
    }

    private Asset asset(String field, String id) {
        return assets.find(id).orElseThrow(() -> new InvalidSpecException(field, "no asset with id " + id));
    }
}
