package io.streammanager.composition.stream;

import io.streammanager.bus.control.spec.AudioLayer;
import io.streammanager.bus.control.spec.ImageLayer;
import io.streammanager.bus.control.spec.Layer;
import io.streammanager.bus.control.spec.SceneSpec;
import io.streammanager.bus.control.spec.VideoLayer;
import io.streammanager.composition.assets.Asset;
import io.streammanager.composition.assets.AssetUsers;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;

/** Asset users are the running streams whose scene (layers, fallbacks, slate) names {@code asset:<id>}. */
@ApplicationScoped
public class RunningAssetUsers implements AssetUsers {

    private final StreamRegistry registry;
    private final StreamStore store;

    public RunningAssetUsers(StreamRegistry registry, StreamStore store) {
        this.registry = registry;
        this.store = store;
    }

    @Override
    public List<String> streamsUsing(String assetId) {
        String reference = Asset.SOURCE_PREFIX + assetId;
        List<String> users = new ArrayList<>();
        // every stored stream counts, not only those rendered here: another instance may be showing it
        for (var spec : store.all()) {
            if (names(spec.scene() == null ? null : spec.scene(), reference)) {
                users.add(spec.id());
            }
        }
        for (RunningStream running : registry.all()) {
            if (!users.contains(running.spec().id()) && names(running.spec().scene(), reference)) {
                users.add(running.spec().id());
            }
        }
        return users;
    }

    static boolean names(SceneSpec scene, String reference) {
        if (scene == null) {
            return false;
        }
        if (scene.slate() != null && reference.equals(scene.slate().source())) {
            return true;
        }
        for (Layer layer : scene.layers()) {
            boolean uses = switch (layer) {
                case ImageLayer image -> reference.equals(image.source());
                case VideoLayer video -> reference.equals(video.source())
                        || video.fallback() != null && reference.equals(video.fallback().source());
                case AudioLayer audio -> reference.equals(audio.source());
                default -> false;
            };
            if (uses) {
                return true;
            }
        }
        return false;
    }
}
