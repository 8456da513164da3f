package io.streammanager.encoder.codec;

import org.bytedeco.ffmpeg.global.swscale;

/** A swscale job: a source format and size into a YUV420P picture of the target size. */
public record ScalerSettings(InputFormat source, int width, int height, int targetWidth, int targetHeight,
                             int flags) {

    /** Same size, so the filter barely matters; the fast one keeps CPU for the encoder. */
    public static ScalerSettings toYuv420p(InputFormat source, int width, int height) {
        return new ScalerSettings(source, width, height, width, height, swscale.SWS_FAST_BILINEAR);
    }

    /**
     * Down to a rendition's size: bilinear is what a player's own scaler would do, at a fraction of bicubic's cost;
     * the encoder, not the filter, dominates a ladder's CPU.
     */
    public static ScalerSettings resize(InputFormat source, int width, int height, int targetWidth,
                                        int targetHeight) {
        if (width == targetWidth && height == targetHeight) {
            return toYuv420p(source, width, height);
        }
        return new ScalerSettings(source, width, height, targetWidth, targetHeight, swscale.SWS_BILINEAR);
    }
}
