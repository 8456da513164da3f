package io.streammanager.encoder.thumbnail;

import static org.bytedeco.ffmpeg.global.avutil.av_image_fill_arrays;
import static org.bytedeco.ffmpeg.global.swscale.sws_freeContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_getCoefficients;
import static org.bytedeco.ffmpeg.global.swscale.sws_getContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_scale;
import static org.bytedeco.ffmpeg.global.swscale.sws_setColorspaceDetails;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.lang.foreign.MemorySegment;

import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.ffmpeg.global.swscale;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.PointerPointer;

import io.streammanager.ffmpeg.FfmpegErrors;
import io.streammanager.ffmpeg.FfmpegException;
import io.streammanager.encoder.codec.InputFormat;

/**
 * Scales one frame slot, read in place, to a thumbnail-sized BGR24 picture with swscale: packed BGR is exactly the
 * layout of a {@code TYPE_3BYTE_BGR} BufferedImage, so the only copy is the small scaled picture into the image.
 * YUV slots are read as BT.709 limited range, as the composition renders them. One owning thread.
 */
final class FrameGrabber implements AutoCloseable {

    private final InputFormat format;
    private final int width;
    private final int height;
    private final int frameBytes;
    private final int thumbWidth;
    private final int thumbHeight;
    private final BytePointer picture;
    private final PointerPointer<?> source = new PointerPointer<>(4);
    private final IntPointer sourceStride = new IntPointer(4);
    private final PointerPointer<?> target;
    private final IntPointer targetStride;
    private SwsContext context;

    FrameGrabber(InputFormat format, int width, int height, int maxWidth) {
        this.format = format;
        this.width = width;
        this.height = height;
        this.frameBytes = format.frameBytes(width, height);
        this.thumbWidth = thumbWidth(width, maxWidth);
        this.thumbHeight = thumbHeight(width, height, thumbWidth);
        // full chroma interpolation and accurate rounding: a few ms once per period buys clean colour edges
        this.context = sws_getContext(width, height, format.avPixelFormat(), thumbWidth, thumbHeight,
                avutil.AV_PIX_FMT_BGR24, swscale.SWS_BILINEAR | swscale.SWS_FULL_CHR_H_INT | swscale.SWS_ACCURATE_RND,
                null, null, (DoublePointer) null);
        if (context == null || context.isNull()) {
            throw new FfmpegException("sws_getContext " + format + " " + width + "x" + height + " to BGR24 "
                    + thumbWidth + "x" + thumbHeight + " failed", 0);
        }
        if (format == InputFormat.YUV420P) {
            IntPointer bt709 = sws_getCoefficients(swscale.SWS_CS_ITU709);
            // source limited range (0), RGB full range (1); brightness 0, contrast and saturation 1.0 in 16.16
            sws_setColorspaceDetails(context, bt709, 0, bt709, 1, 0, 1 << 16, 1 << 16);
        }
        this.picture = new BytePointer((long) thumbWidth * thumbHeight * 3);
        this.target = new PointerPointer<>(picture, null, null, null);
        this.targetStride = new IntPointer(thumbWidth * 3, 0, 0, 0);
    }

    /** Even, at most {@code maxWidth} and never wider than the canvas. */
    static int thumbWidth(int width, int maxWidth) {
        return Math.max(2, Math.min(width, maxWidth) & ~1);
    }

    /** The canvas's aspect at {@code thumbWidth}, rounded to even. */
    static int thumbHeight(int width, int height, int thumbWidth) {
        return Math.max(2, (int) Math.round((double) height * thumbWidth / width / 2) * 2);
    }

    boolean fits(InputFormat format, int width, int height) {
        return this.format == format && this.width == width && this.height == height;
    }

    /** A new image of the slot's picture at thumbnail size. */
    BufferedImage grab(MemorySegment pixels) {
        if (context == null) {
            throw new IllegalStateException("frame grabber closed");
        }
        if (pixels.byteSize() < frameBytes) {
            throw new IllegalArgumentException("slot of " + pixels.byteSize() + " bytes is smaller than one frame of "
                    + frameBytes);
        }
        BytePointer slot = new BytePointer(pixels.asSlice(0, frameBytes).asByteBuffer());
        FfmpegErrors.check(av_image_fill_arrays(source, sourceStride, slot, format.avPixelFormat(), width, height, 1),
                "av_image_fill_arrays over a frame slot");
        int rows = sws_scale(context, source, sourceStride, 0, height, target, targetStride);
        if (rows != thumbHeight) {
            throw new FfmpegException("sws_scale wrote " + rows + " rows, expected " + thumbHeight, rows);
        }
        BufferedImage image = new BufferedImage(thumbWidth, thumbHeight, BufferedImage.TYPE_3BYTE_BGR);
        byte[] raster = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
        picture.position(0).get(raster);
        return image;
    }

    @Override
    public void close() {
        if (context != null) {
            sws_freeContext(context);
            context = null;
            picture.close();
            source.close();
            sourceStride.close();
            target.close();
            targetStride.close();
        }
    }
}
