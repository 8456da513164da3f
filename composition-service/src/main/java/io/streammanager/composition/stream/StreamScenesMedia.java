package io.streammanager.composition.stream;

import io.streammanager.composition.scene.SceneMedia;
import java.util.Map;

/**
 * The media one running stream's scenes draw from (its live sources and pictures), which outlive a scene change.
 * A compile is bracketed by {@link #beginCompile()} and {@link #retainCompiled()}, which lets go of whatever the new
 * scene no longer uses.
 */
public interface StreamScenesMedia extends SceneMedia, AutoCloseable {

    void beginCompile();

    void retainCompiled();

    /** Each source's state by layer id, for the stream view. */
    Map<String, ?> views();

    @Override
    void close();

    /** Makes the media of a stream. */
    interface Provider {
        StreamScenesMedia forStream(String streamId);
    }

    /** For scenes without images or video (and tests). */
    StreamScenesMedia NONE = new StreamScenesMedia() {
        @Override
        public java.awt.image.BufferedImage image(String field, String source) {
            return SceneMedia.NONE.image(field, source);
        }

        @Override
        public io.streammanager.composition.scene.VideoFeed video(String field,
                io.streammanager.bus.control.spec.VideoLayer layer, int width, int height) {
            return SceneMedia.NONE.video(field, layer, width, height);
        }

        @Override
        public void beginCompile() {
        }

        @Override
        public void retainCompiled() {
        }

        @Override
        public Map<String, ?> views() {
            return Map.of();
        }

        @Override
        public void close() {
        }
    };
}
