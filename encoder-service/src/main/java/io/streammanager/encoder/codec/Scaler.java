package io.streammanager.encoder.codec;

import static org.bytedeco.ffmpeg.global.swscale.sws_freeContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_getContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_scale;

import io.streammanager.ffmpeg.FfmpegException;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.DoublePointer;

/**
 * swscale context converting (and resizing, if asked) a slot, read in place, into an encoder's YUV420P frame. One
 * owning thread.
 */
public final class Scaler implements AutoCloseable {

    private final ScalerSettings settings;
    private SwsContext context;

    public Scaler(ScalerSettings settings) {
        this.settings = settings;
        this.context = sws_getContext(settings.width(), settings.height(), settings.source().avPixelFormat(),
                settings.targetWidth(), settings.targetHeight(), avutil.AV_PIX_FMT_YUV420P, settings.flags(),
                null, null, (DoublePointer) null);
        if (context == null || context.isNull()) {
            throw new FfmpegException("sws_getContext " + settings + " failed", 0);
        }
    }

    /** Converts {@code source} into {@code target}; reads the slot memory directly. */
    public void convert(SlotFrames.SlotFrame source, YuvFrame target) {
        if (context == null) {
            throw new IllegalStateException("scaler closed");
        }
        target.makeWritable();
        int rows = sws_scale(context, source.data(), source.linesize(), 0, settings.height(),
                target.data(), target.linesize());
        if (rows != settings.targetHeight()) {
            throw new FfmpegException("sws_scale wrote " + rows + " rows, expected " + settings.targetHeight(), rows);
        }
    }

    @Override
    public void close() {
        if (context != null) {
            sws_freeContext(context);
            context = null;
        }
    }
}
