package io.streammanager.encoder.codec;

import java.util.List;
import java.util.Objects;

/**
 * One frame ring's pictures (format, canvas size and rate) and the renditions to encode from them, in order. Each
 * rendition's frame rate divides the canvas rate, so every rendition encodes the canvas frames its keyframes fall on.
 *
 * @param gopFrames keyframe interval in canvas frames: every rendition gets an IDR on exactly these frames
 */
public record LadderSettings(InputFormat input, int width, int height, int fps, int gopFrames,
                             List<VideoEncoderSettings> renditions) {

    public LadderSettings {
        Objects.requireNonNull(input, "input");
        renditions = List.copyOf(renditions);
        if (renditions.isEmpty()) {
            throw new IllegalArgumentException("a ladder needs at least one rendition");
        }
        if (gopFrames <= 0) {
            throw new IllegalArgumentException("gopFrames=" + gopFrames + " must be positive");
        }
        for (VideoEncoderSettings rendition : renditions) {
            if (rendition.width() > width || rendition.height() > height) {
                throw new IllegalArgumentException("rendition " + rendition.width() + "x" + rendition.height()
                        + " is larger than the canvas " + width + "x" + height);
            }
            if (rendition.fps() > fps || fps % rendition.fps() != 0 || gopFrames % (fps / rendition.fps()) != 0) {
                throw new IllegalArgumentException("rendition fps=" + rendition.fps() + " must divide the canvas fps="
                        + fps + " and the gop of " + gopFrames + " frames");
            }
        }
    }

    /** Canvas frames per frame of rendition {@code index} (1 = every frame). */
    public int step(int index) {
        return fps / renditions.get(index).fps();
    }

    public long frameDurationUs() {
        return 1_000_000L / fps;
    }
}
