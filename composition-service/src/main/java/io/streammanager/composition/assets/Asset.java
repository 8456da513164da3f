package io.streammanager.composition.assets;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * An uploaded file as the API shows it: {@code type} is {@code image/png}, {@code image/jpeg}, {@code image/webp},
 * {@code image/gif}, {@code video/mp4}, {@code video/webm}, or a sound file ({@code audio/mpeg}, {@code audio/aac},
 * {@code audio/mp4}, {@code audio/ogg}, {@code audio/wav}; width and height 0); {@code durationMs} is 0 for a still
 * picture.
 * {@code storedIn} says where its bytes are: {@code redis} or {@code dir}.
 */
public record Asset(String id, String type, int width, int height, long durationMs, long bytes, long createdAtMs,
                    @JsonIgnore String storedIn) {

    public static final String IN_REDIS = "redis";
    public static final String IN_DIR = "dir";

    /** The form an image or video layer names it by. */
    public static final String SOURCE_PREFIX = "asset:";

    @JsonIgnore
    public boolean video() {
        return type.startsWith("video/");
    }

    /** A sound file without a picture. */
    @JsonIgnore
    public boolean audio() {
        return type.startsWith("audio/");
    }

    /** What it is, for error messages: "a picture", "a video" or "a sound file". */
    @JsonIgnore
    public String kind() {
        return video() ? "a video" : audio() ? "a sound file" : "a picture";
    }
}
