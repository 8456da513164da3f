package io.streammanager.composition.sources;

import io.micrometer.core.instrument.MeterRegistry;
import io.streammanager.composition.assets.AssetStore;
import io.streammanager.composition.audio.AudioQueue;
import io.streammanager.composition.config.CompositionConfig;
import io.streammanager.composition.stream.StreamScenesMedia;
import jakarta.enterprise.context.ApplicationScoped;

/** Makes each running stream's {@link StreamMedia}, with the service's settings, meters and watch. */
@ApplicationScoped
public class SourceMedia implements StreamMedia.SourceFactory, StreamScenesMedia.Provider {

    private final ImageLoader images;
    private final UrlPolicy policy;
    private final AssetStore assets;
    private final MeterRegistry registry;
    private final SourceWatch watch;
    private final MediaSource.Settings settings;

    public SourceMedia(ImageLoader images, UrlPolicy policy, AssetStore assets, MeterRegistry registry,
                       SourceWatch watch, CompositionConfig config) {
        this.images = images;
        this.policy = policy;
        this.assets = assets;
        this.registry = registry;
        this.watch = watch;
        CompositionConfig.Sources sources = config.sources();
        this.settings = new MediaSource.Settings(sources.maxQueueSize(), sources.stallAfter().toNanos(),
                sources.readTimeout().toNanos(), sources.reconnectMin().toNanos(), sources.reconnectMax().toNanos(),
                (int) Math.min(AudioQueue.SAMPLE_RATE * 10L,
                        sources.audioQueue().toMillis() * AudioQueue.SAMPLE_RATE / 1000),
                new HardwareDecoders(sources.hwDecode()));
    }

    @Override
    public StreamMedia forStream(String streamId) {
        return new StreamMedia(streamId, this);
    }

    @Override
    public MediaSource open(String streamId, String name, SourceInput input, boolean loop, boolean video, int width,
                            int height) {
        SourceMeters meters = new SourceMeters(registry, streamId, name);
        MediaSource source = new MediaSource(name, input, loop, video, width, height, settings, meters);
        watch.watch(streamId, source, meters);
        source.start();
        return source;
    }

    @Override
    public void close(MediaSource source) {
        watch.unwatch(source);
        source.close();
    }

    @Override
    public ImageLoader images() {
        return images;
    }

    @Override
    public UrlPolicy policy() {
        return policy;
    }

    @Override
    public AssetStore assets() {
        return assets;
    }
}
