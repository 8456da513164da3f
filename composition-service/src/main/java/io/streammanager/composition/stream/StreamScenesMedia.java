package io.streammanager.composition.stream;

import io.streammanager.bus.control.spec.VideoLayer;
import io.streammanager.composition.audio.AudioTracks;
import io.streammanager.composition.scene.SceneMedia;
import io.streammanager.composition.scene.VideoFeed;
import java.awt.image.BufferedImage;
import java.util.Map;
import java.util.Set;

/**
 * The media one running stream's scenes draw from (its live sources and pictures), which outlive a scene change.
 * A compile is bracketed by {@link #beginCompile()} and {@link #endCompile()}, which says what the scene uses;
 * {@link #retain} then lets go of whatever neither the scene on screen nor the one waiting for its cue uses.
 */
public interface StreamScenesMedia extends SceneMedia, AutoCloseable {

    void beginCompile();

    /** What the compile since {@link #beginCompile()} asked for (opaque keys). */
    Set<String> endCompile();

    /** Closes every source and forgets every picture that no key in {@code keep} names. */
    void retain(Set<String> keep);

    /** Each source's state by layer id, for the stream view. */
    Map<String, ?> views();

    /** The sound tracks of the stream's open sources, for its mixer. */
    default AudioTracks audioTracks() {
        return new AudioTracks();
    }

    @Override
    void close();

    /** Makes the media of a stream. */
    interface Provider {
        StreamScenesMedia forStream(String streamId);
    }

    /** For scenes without images or video (and tests). */
    StreamScenesMedia NONE = new StreamScenesMedia() {
        @Override
        public BufferedImage image(String field, String source) {
            return SceneMedia.NONE.image(field, source);
        }

        @Override
        public VideoFeed video(String field, VideoLayer layer, int width, int height) {
            return SceneMedia.NONE.video(field, layer, width, height);
        }

        @Override
        public void beginCompile() {
        }

        @Override
        public Set<String> endCompile() {
            return Set.of();
        }

        @Override
        public void retain(Set<String> keep) {
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
