package io.streammanager.composition.sources;

import io.streammanager.bus.control.spec.VideoLayer;
import io.streammanager.composition.audio.AudioTrack;
import io.streammanager.composition.audio.AudioTracks;
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
 * The media of one running stream: its sources, which outlive scene changes (a layer that moves keeps its
 * connection; a source is keyed by its {@code source} and {@code loop}, so a video layer and an audio layer naming
 * the same input share one connection), the sound tracks of those sources for the mixer, and the pictures of its
 * current scene (fetched once, kept while a scene names them). Compiles call in from API threads, the clock reads
 * the feeds and tracks.
 */
public final class StreamMedia implements StreamScenesMedia {

    private final String streamId;
    private final SourceFactory factory;
    private final Map<String, MediaSource> sources = new LinkedHashMap<>();
    private final AudioTracks tracks = new AudioTracks();
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
        MediaSource source = source(field, layer.id(), layer.source(), layer.loopOrDefault(), true, width, height);
        // an existing source is resized by the layer's painter once its scene is on screen (VideoFeed.size)
        source.wantVideo();
        return source;
    }

    @Override
    public synchronized AudioTrack audio(String field, String layerId, String source, boolean loop) {
        return source(field, layerId, source, loop, false, 2, 2).audio();
    }

    @Override
    public AudioTracks audioTracks() {
        return tracks;
    }

    /** The source of {@code address}, opened (named after the layer that first asks) if it is not yet. */
    private MediaSource source(String field, String layerId, String address, boolean loop, boolean video, int width,
                               int height) {
        String key = address + (loop ? " loop" : "");
        usedByCompile.add("video " + key);
        MediaSource source = sources.get(key);
        if (source == null) {
            source = factory.open(streamId, layerId, input(field, address, video), loop, video, width, height);
            sources.put(key, source);
            tracks.add(source.audio());
        }
        return source;
    }

    private SourceInput input(String field, String address, boolean picture) {
        String assetId = AssetIds.of(address);
        if (assetId == null) {
            factory.policy().check(field, address, UrlPolicy.VIDEO_SCHEMES);
            return SourceInput.url(address, () -> factory.policy().check(field, address, UrlPolicy.VIDEO_SCHEMES));
        }
        AssetStore assets = factory.assets();
        Asset asset = assets.find(assetId).orElseThrow(() -> new InvalidSpecException(field, "no asset with id "
                + assetId));
        if (picture && !asset.video()) {
            throw new InvalidSpecException(field, "asset " + assetId + " is " + asset.kind() + ", not a video");
        }
        if (!picture && !asset.video() && !asset.audio()) {
            throw new InvalidSpecException(field, "asset " + assetId + " is a picture, it has no sound");
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
            tracks.remove(entry.getValue().audio());
            factory.close(entry.getValue());
            return true;
        });
        pictures.keySet().removeIf(source -> !keep.contains("image " + source));
    }

    /** Each source's state by layer name, for the stream view. */
    @Override
    public synchronized Map<String, SourceView> views() {
        Map<String, SourceView> views = new LinkedHashMap<>();
        for (MediaSource source : sources.values()) {
            views.put(source.name(), SourceView.of(source));
        }
        return views;
    }

    @Override
    public synchronized void close() {
        sources.values().forEach(source -> {
            tracks.remove(source.audio());
            factory.close(source);
        });
        sources.clear();
        pictures.clear();
    }

    /** Creates a stream's media; one per application. */
    interface SourceFactory {
        MediaSource open(String streamId, String name, SourceInput input, boolean loop, boolean video, int width,
                         int height);

        void close(MediaSource source);

        ImageLoader images();

        UrlPolicy policy();

        AssetStore assets();
    }
}
