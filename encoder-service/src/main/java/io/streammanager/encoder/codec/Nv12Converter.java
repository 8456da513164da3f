package io.streammanager.encoder.codec;

import io.streammanager.ffmpeg.FfmpegErrors;
import io.streammanager.ffmpeg.FfmpegException;

import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_get_buffer;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_make_writable;
import static org.bytedeco.ffmpeg.global.swscale.sws_freeContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_getContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_scale_frame;

import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.ffmpeg.global.swscale;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.DoublePointer;

/**
 * Rewrites a YUV420P picture (the ladder's output at a rendition's size) as NV12 in one reused frame, the layout a
 * VAAPI or QSV surface holds: same luma plane, chroma interleaved U,V. Same size, so swscale takes its unscaled path
 * (a plane copy and an interleave, exact). One owning thread; closed once.
 */
final class Nv12Converter implements AutoCloseable {

    private final int width;
    private final int height;
    private SwsContext context;
    private AVFrame nv12;

    Nv12Converter(int width, int height) {
        this.width = width;
        this.height = height;
        context = sws_getContext(width, height, avutil.AV_PIX_FMT_YUV420P, width, height, avutil.AV_PIX_FMT_NV12,
                swscale.SWS_POINT, null, null, (DoublePointer) null);
        if (context == null || context.isNull()) {
            throw new FfmpegException("sws_getContext yuv420p->nv12 " + width + "x" + height + " failed", 0);
        }
        nv12 = av_frame_alloc();
        nv12.format(avutil.AV_PIX_FMT_NV12).width(width).height(height);
        int result = av_frame_get_buffer(nv12, 0);
        if (result < 0) {
            close();
            throw new FfmpegException("av_frame_get_buffer nv12 " + width + "x" + height + ": "
                    + FfmpegErrors.describe(result), result);
        }
    }

    /** Converts {@code yuv420p} (of this converter's size); the returned frame is valid until the next call. */
    AVFrame convert(AVFrame yuv420p) {
        if (context == null) {
            throw new IllegalStateException("nv12 converter closed");
        }
        if (yuv420p.format() != avutil.AV_PIX_FMT_YUV420P || yuv420p.width() != width
                || yuv420p.height() != height) {
            throw new IllegalArgumentException("frame format=" + yuv420p.format() + " " + yuv420p.width() + "x"
                    + yuv420p.height() + ", expected yuv420p " + width + "x" + height);
        }
        FfmpegErrors.check(av_frame_make_writable(nv12), "av_frame_make_writable nv12");
        FfmpegErrors.check(sws_scale_frame(context, nv12, yuv420p), "sws_scale_frame yuv420p->nv12");
        return nv12;
    }

    @Override
    public void close() {
        if (nv12 != null) {
            av_frame_free(nv12);
            nv12 = null;
        }
        if (context != null) {
            sws_freeContext(context);
            context = null;
        }
    }
}
