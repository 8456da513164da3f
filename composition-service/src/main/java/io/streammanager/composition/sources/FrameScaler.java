package io.streammanager.composition.sources;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.swscale.SWS_BILINEAR;
import static org.bytedeco.ffmpeg.global.swscale.sws_freeContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_getCachedContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_scale;

import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * swscale from a decoded frame (any pixel format, any size; both may change mid-stream) straight into a pooled I420
 * buffer at the layer's box size: one pass that converts, scales and copies. One owning thread (the source's).
 */
final class FrameScaler implements AutoCloseable {

    private SwsContext context;
    private final PointerPointer<BytePointer> planes = new PointerPointer<>(4);
    private final IntPointer strides = new IntPointer(4);

    /** Scales {@code decoded} into {@code target}; false when swscale refused the frame (it is then skipped). */
    boolean scale(AVFrame decoded, DecodedFrame target) {
        int width = target.width();
        int height = target.height();
        context = sws_getCachedContext(context, decoded.width(), decoded.height(), decoded.format(), width, height,
                AV_PIX_FMT_YUV420P, SWS_BILINEAR, null, null, (DoublePointer) null);
        if (context == null) {
            return false;
        }
        BytePointer base = new BytePointer(target.buffer());
        long luma = (long) width * height;
        planes.put(0, base);
        planes.put(1, base.<BytePointer>getPointer(luma));
        planes.put(2, base.<BytePointer>getPointer(luma + luma / 4));
        strides.put(0, width).put(1, width / 2).put(2, width / 2).put(3, 0);
        int rows = sws_scale(context, decoded.data(), decoded.linesize(), 0, decoded.height(), planes, strides);
        return rows > 0;
    }

    @Override
    public void close() {
        if (context != null) {
            sws_freeContext(context);
            context = null;
        }
        planes.close();
        strides.close();
    }
}
