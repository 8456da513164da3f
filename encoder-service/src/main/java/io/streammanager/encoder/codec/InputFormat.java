package io.streammanager.encoder.codec;

import io.streammanager.ffmpeg.FfmpegErrors;
import org.bytedeco.ffmpeg.global.avutil;

/** Pixel layouts a frame slot can hold, with their FFmpeg pixel format. */
public enum InputFormat {
    /** Planar Y, U, V (4:2:0), tightly packed: what the encoder eats, so no conversion. */
    YUV420P(avutil.AV_PIX_FMT_YUV420P),
    /** Packed B, G, R, A: converted by swscale into the encoder's YUV420P frame. */
    BGRA(avutil.AV_PIX_FMT_BGRA);

    private final int avPixelFormat;

    InputFormat(int avPixelFormat) {
        this.avPixelFormat = avPixelFormat;
    }

    public int avPixelFormat() {
        return avPixelFormat;
    }

    /** Bytes of one tightly packed (alignment 1) frame, as FFmpeg computes it. */
    public int frameBytes(int width, int height) {
        return FfmpegErrors.check(avutil.av_image_get_buffer_size(avPixelFormat, width, height, 1),
                "av_image_get_buffer_size " + this + " " + width + "x" + height);
    }
}
