package io.streammanager.encoder.codec;

import org.bytedeco.ffmpeg.global.swscale;

/** A pixel-format conversion at one size (no resizing): source format into YUV420P. */
public record ScalerSettings(InputFormat source, int width, int height, int flags) {

    /** Same size, so the filter barely matters; the fast one keeps CPU for the encoder. */
    public static ScalerSettings toYuv420p(InputFormat source, int width, int height) {
        return new ScalerSettings(source, width, height, swscale.SWS_FAST_BILINEAR);
    }
}
