package io.streammanager.composition.sources;

import static org.bytedeco.ffmpeg.global.avutil.AVCOL_RANGE_JPEG;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_SPC_BT2020_CL;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_SPC_BT2020_NCL;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_SPC_BT709;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_SPC_RGB;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_SPC_UNSPECIFIED;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV422P;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV444P;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUVJ420P;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUVJ422P;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUVJ444P;
import static org.bytedeco.ffmpeg.global.swscale.SWS_CS_BT2020;
import static org.bytedeco.ffmpeg.global.swscale.SWS_CS_ITU601;
import static org.bytedeco.ffmpeg.global.swscale.SWS_CS_ITU709;
import static org.bytedeco.ffmpeg.global.swscale.sws_getCoefficients;
import static org.bytedeco.ffmpeg.global.swscale.sws_setColorspaceDetails;
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
 * Brings a decoded frame (any pixel format, any size; both may change mid-stream) to the layer's box as I420 in the
 * canvas's colours: by reference when it already is that, else with swscale straight into a pooled buffer (one pass
 * that converts, scales and copies). One owning thread (the source's).
 */
final class FrameScaler implements AutoCloseable {

    private SwsContext context;
    private SwsContext configuredFor;
    private int configuredMatrix;
    private int configuredRange;
    private final PointerPointer<BytePointer> planes = new PointerPointer<>(4);
    private final IntPointer strides = new IntPointer(4);

    /**
     * Fills {@code target} with {@code decoded} at {@code width} x {@code height}: a reference to the decoder's frame
     * when it already is I420 at that size in the canvas's colours (the usual camera at full size: no copy), else a
     * swscale pass into the target's packed buffer. False when neither worked (the frame is then skipped).
     */
    boolean fill(AVFrame decoded, DecodedFrame target, int width, int height) {
        if (canvasReady(decoded, width, height) && target.reference(decoded)) {
            return true;
        }
        return scale(decoded, target, width, height);
    }

    /** Whether a frame can be shown as it is: I420 of exactly the box's size, BT.709 limited range, rows forward. */
    static boolean canvasReady(AVFrame decoded, int width, int height) {
        return decoded.format() == AV_PIX_FMT_YUV420P && decoded.width() == width && decoded.height() == height
                && matrix(decoded) == SWS_CS_ITU709 && decoded.color_range() != AVCOL_RANGE_JPEG
                && decoded.linesize(0) >= width && decoded.linesize(1) >= width / 2
                && decoded.linesize(2) >= width / 2;
    }

    private boolean scale(AVFrame decoded, DecodedFrame target, int width, int height) {
        context = sws_getCachedContext(context, decoded.width(), decoded.height(), swscaleFormat(decoded), width,
                height, AV_PIX_FMT_YUV420P, SWS_BILINEAR, null, null, (DoublePointer) null);
        if (context == null) {
            return false;
        }
        matchColours(decoded);
        BytePointer base = new BytePointer(target.scaled(width, height));
        long luma = (long) width * height;
        planes.put(0, base);
        planes.put(1, base.<BytePointer>getPointer(luma));
        planes.put(2, base.<BytePointer>getPointer(luma + luma / 4));
        strides.put(0, width).put(1, width / 2).put(2, width / 2).put(3, 0);
        int rows = sws_scale(context, decoded.data(), decoded.linesize(), 0, decoded.height(), planes, strides);
        return rows > 0;
    }

    /**
     * Converts the source's colour matrix and range to the canvas's (BT.709, limited range, like every colour the
     * scene draws): an SD source is usually BT.601 and would otherwise show shifted colours. Untagged sources are
     * taken as BT.601 below 720 lines and BT.709 from there, as players do.
     */
    private void matchColours(AVFrame decoded) {
        int matrix = matrix(decoded);
        int range = decoded.color_range() == AVCOL_RANGE_JPEG ? 1 : 0;
        if (context == configuredFor && matrix == configuredMatrix && range == configuredRange) {
            return;
        }
        sws_setColorspaceDetails(context, sws_getCoefficients(matrix), range, sws_getCoefficients(SWS_CS_ITU709), 0,
                0, 1 << 16, 1 << 16);
        configuredFor = context;
        configuredMatrix = matrix;
        configuredRange = range;
    }

    /**
     * The pixel format to tell swscale: a full-range planar YUV frame (an H.264 camera flagged full range) as its
     * "J" twin, since swscale's same-size same-format path is a plain copy that would keep full-range levels and
     * show black as 0 instead of 16.
     */
    private static int swscaleFormat(AVFrame decoded) {
        if (decoded.color_range() != AVCOL_RANGE_JPEG) {
            return decoded.format();
        }
        return switch (decoded.format()) {
            case AV_PIX_FMT_YUV420P -> AV_PIX_FMT_YUVJ420P;
            case AV_PIX_FMT_YUV422P -> AV_PIX_FMT_YUVJ422P;
            case AV_PIX_FMT_YUV444P -> AV_PIX_FMT_YUVJ444P;
            default -> decoded.format();
        };
    }

    /** The source's colour matrix as swscale names it; untagged: BT.601 below 720 lines, BT.709 from there. */
    private static int matrix(AVFrame decoded) {
        return switch (decoded.colorspace()) {
            case AVCOL_SPC_BT709 -> SWS_CS_ITU709;
            case AVCOL_SPC_BT2020_NCL, AVCOL_SPC_BT2020_CL -> SWS_CS_BT2020;
            case AVCOL_SPC_UNSPECIFIED, AVCOL_SPC_RGB -> decoded.height() >= 720 ? SWS_CS_ITU709 : SWS_CS_ITU601;
            default -> SWS_CS_ITU601;
        };
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
