package io.streammanager.encoder.codec;

import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_get_buffer;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_make_writable;

import io.streammanager.ffmpeg.FfmpegErrors;
import io.streammanager.ffmpeg.FfmpegException;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.PointerPointer;

/** A YUV420P frame in FFmpeg-allocated memory: the converter's output and the encoder's input. */
public final class YuvFrame implements AutoCloseable {

    private AVFrame frame;
    private final PointerPointer<?> data;
    private final IntPointer linesize;

    public YuvFrame(int width, int height) {
        frame = av_frame_alloc();
        frame.format(avutil.AV_PIX_FMT_YUV420P).width(width).height(height);
        int result = av_frame_get_buffer(frame, 0);
        if (result < 0) {
            av_frame_free(frame);
            throw new FfmpegException("av_frame_get_buffer " + width + "x" + height + ": "
                    + FfmpegErrors.describe(result), result);
        }
        data = frame.data();
        linesize = frame.linesize();
    }

    /** Ensures the encoder holds no reference to the pixels we are about to overwrite. */
    public void makeWritable() {
        FfmpegErrors.check(av_frame_make_writable(frame()), "av_frame_make_writable");
    }

    public AVFrame frame() {
        if (frame == null) {
            throw new IllegalStateException("frame closed");
        }
        return frame;
    }

    PointerPointer<?> data() {
        return data;
    }

    IntPointer linesize() {
        return linesize;
    }

    @Override
    public void close() {
        if (frame != null) {
            av_frame_free(frame);
            frame = null;
        }
    }
}
