package io.streammanager.composition.scene;

import io.streammanager.bus.control.spec.VideoLayer;
import io.streammanager.composition.audio.AudioTrack;
import java.awt.image.BufferedImage;

/**
 * What a scene needs from outside to compile: pictures (assets, fetched URLs) and live video feeds. Declared here,
 * implemented by the stream's media (assets and sources), so that the scene knows nothing of Redis or FFmpeg.
 */
public interface SceneMedia {

    /**
     * The decoded picture {@code source} names ({@code asset:<id>} or an http(s) URL); a picture that cannot be had
     * is an {@code InvalidSpecException} naming {@code field}.
     */
    BufferedImage image(String field, String source);

    /** The feed of a video layer's source, decoding at (about) {@code width} x {@code height}. */
    VideoFeed video(String field, VideoLayer layer, int width, int height);

    /**
     * The sound of {@code source} (the same source a video layer of the same {@code source} and {@code loop} shows),
     * for the mix; opened without pictures if no video layer shows it. Null where there is no sound to be had.
     */
    default AudioTrack audio(String field, String layerId, String source, boolean loop) {
        return null;
    }

    /** For scenes without pictures or video (and tests): asking for either is an error. */
    SceneMedia NONE = new SceneMedia() {
        @Override
        public BufferedImage image(String field, String source) {
            throw new IllegalStateException(field + ": no media available to load " + source);
        }

        @Override
        public VideoFeed video(String field, VideoLayer layer, int width, int height) {
            throw new IllegalStateException(field + ": no media available to play " + layer.source());
        }
    };
}
