package io.streammanager.composition.sources;

import io.streammanager.bus.control.spec.VideoLayer;
import io.streammanager.composition.assets.Asset;
import io.streammanager.composition.assets.AssetIds;
import io.streammanager.composition.assets.AssetStore;
import io.streammanager.composition.scene.VideoFeed;
import io.streammanager.composition.stream.InvalidSpecException;
import io.streammanager.composition.stream.StreamScenesMedia;
import java.awt.image.BufferedImage;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The media of one running stream: its video sources, which outlive scene changes (a layer that moves keeps its
 * connection; a source is keyed by its {@code source} and {@code loop}), and the pictures of its current scene
 * (fetched once, kept while a scene names them). Compiles call in from API threads, the clock reads the feeds.
 */
public final class StreamMedia implements StreamScenesMedia {

    private final String streamId;
    private final SourceFactory factory;
    private final Map<String, VideoSource> sources = new LinkedHashMap<>();
    private final Map<String, BufferedImage> pictures = new LinkedHashMap<>();
    private Set<String> usedByCompile = new HashSet<>();

    StreamMedia(String streamId, SourceFactory factory) {
        this.streamId = streamId;
        this.factory = factory;
    }

    @Override
    public synchronized BufferedImage image(String field, String source) {
        usedByCompile.add("image " + source);
        BufferedImage cached = pictures.get(source);
        if (cached != null) {
            return cached;
        }
        BufferedImage image = factory.images().load(field, source);
        pictures.put(source, image);
        return image;
    }

    @Override
    public synchronized VideoFeed video(String field, VideoLayer layer, int width, int height) {
        String key = layer.source() + (layer.loopOrDefault() ? " loop" : "");
        usedByCompile.add("video " + key);
        VideoSource source = sources.get(key);
        if (source == null) {
            source = factory.open(streamId, layer.id(), input(field, layer), layer.loopOrDefault(), width, height);
            sources.put(key, source);
        }
        // an existing source is resized by the layer's painter once its scene is on screen (VideoFeed.size)
        return source;
    }

    private SourceInput input(String field, VideoLayer layer) {
        String assetId = AssetIds.of(layer.source());
        if (assetId == null) {
            factory.policy().check(field, layer.source(), UrlPolicy.VIDEO_SCHEMES);
            return SourceInput.url(layer.source(),
                    () -> factory.policy().check(field, layer.source(), UrlPolicy.VIDEO_SCHEMES));
        }
        AssetStore assets = factory.assets();
        Asset asset = assets.find(assetId).orElseThrow(() -> new InvalidSpecException(field, "no asset with id "
                + assetId));
        if (!asset.video()) {
            throw new InvalidSpecException(field, "asset " + assetId + " is a picture, not a video");
        }
        return assets.file(asset).map(SourceInput::file)
                .orElseGet(() -> SourceInput.bytes(assets.read(asset)));
    }

    /** Starts a compile: what it asks for is recorded and returned by {@link #endCompile()}. */
    @Override
    public synchronized void beginCompile() {
        usedByCompile = new HashSet<>();
    }

    @Override
    public synchronized Set<String> endCompile() {
        return Set.copyOf(usedByCompile);
    }

    /** Closes the sources and forgets the pictures that none of {@code keep} (what compiles used) needs. */
    @Override
    public synchronized void retain(Set<String> keep) {
        sources.entrySet().removeIf(entry -> {
            if (keep.contains("video " + entry.getKey())) {
                return false;
            }
            factory.close(entry.getValue());
            return true;
        });
        pictures.keySet().removeIf(source -> !keep.contains("image " + source));
    }

    /** Each source's state by layer name, for the stream view. */
    @Override
    public synchronized Map<String, SourceView> views() {
        Map<String, SourceView> views = new LinkedHashMap<>();
        for (VideoSource source : sources.values()) {
            views.put(source.name(), SourceView.of(source));
        }
        return views;
    }

    @Override
    public synchronized void close() {
        sources.values().forEach(factory::close);
        sources.clear();
        pictures.clear();
    }

    /** Creates a stream's media; one per application. */
    interface SourceFactory {
        VideoSource open(String streamId, String name, SourceInput input, boolean loop, int width, int height);

        void close(VideoSource source);

        ImageLoader images();

        UrlPolicy policy();

        AssetStore assets();
    }
}
