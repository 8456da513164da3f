package io.streammanager.composition.sources;

import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_ref;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_unref;

import io.streammanager.composition.scene.VideoFrame;
import java.lang.foreign.MemorySegment;
import java.lang.ref.Cleaner;
import java.nio.ByteBuffer;
import org.bytedeco.ffmpeg.avutil.AVFrame;

/**
 * A pooled slot for one decoded I420 frame, filled one of two ways: scaled by swscale into a packed buffer (direct
 * memory the garbage collector owns), or, when the decoder's frame already is I420 at the box's size in the
 * canvas's colours, referenced (an FFmpeg reference to the decoder's buffers: no copy at all). A referenced frame
 * stays valid until {@link #release()}, even after its decoder was closed (FFmpeg frees a pool's buffers when the
 * last reference goes).
 *
 * <p>Ownership: the {@link FrameQueue} releases a frame when it leaves the screen or is dropped, and closes the
 * frames it holds when its source ends. The one frame the clock may still show when its source ends is the clock's
 * to keep painting; its reference goes when the frame becomes unreachable (a {@link Cleaner}), never under a
 * reader.
 */
final class DecodedFrame implements VideoFrame {

    private static final Cleaner CLEANER = Cleaner.create();

    private final Reference reference = new Reference();
    private final Cleaner.Cleanable cleanable = CLEANER.register(this, reference);
    private final MemorySegment[] planes = new MemorySegment[3];
    private final int[] strides = new int[3];
    private int width;
    private int height;
    private ByteBuffer buffer;
    private final MemorySegment[] packedPlanes = new MemorySegment[3];
    private int bufferWidth;
    private int bufferHeight;
    private long arrivalNs;
    private long sourcePtsUs;

    /** A packed buffer of {@code width} x {@code height} for swscale to write into (kept while the size holds). */
    ByteBuffer scaled(int width, int height) {
        release();
        // the buffer's own size, not the last frame's: a referenced frame in between may have had another
        if (buffer == null || bufferWidth != width || bufferHeight != height) {
            buffer = ByteBuffer.allocateDirect(width * height * 3 / 2);
            MemorySegment packed = MemorySegment.ofBuffer(buffer);
            long luma = (long) width * height;
            packedPlanes[0] = packed.asSlice(0, luma);
            packedPlanes[1] = packed.asSlice(luma, luma / 4);
            packedPlanes[2] = packed.asSlice(luma + luma / 4, luma / 4);
            bufferWidth = width;
            bufferHeight = height;
        }
        this.width = width;
        this.height = height;
        System.arraycopy(packedPlanes, 0, planes, 0, 3);
        strides[0] = width;
        strides[1] = width / 2;
        strides[2] = width / 2;
        return buffer;
    }

    /** Takes a reference to {@code decoded} (I420, even sizes, positive strides); false if FFmpeg refused it. */
    boolean reference(AVFrame decoded) {
        release();
        AVFrame ref = reference.frame();
        if (av_frame_ref(ref, decoded) < 0) {
            return false;
        }
        reference.held = true;
        width = ref.width();
        height = ref.height();
        for (int i = 0; i < 3; i++) {
            int rows = i == 0 ? height : height / 2;
            strides[i] = ref.linesize(i);
            planes[i] = MemorySegment.ofAddress(ref.data(i).address()).reinterpret((long) strides[i] * rows);
        }
        return true;
    }

    /** Lets go of the decoder's buffers, if this frame held them. Only by the frame's current owner. */
    void release() {
        if (reference.held) {
            reference.held = false;
            planes[0] = planes[1] = planes[2] = null;
            av_frame_unref(reference.frame);
        }
    }

    /** Releases and frees the native frame now (its owner is done with it). */
    void close() {
        release();
        cleanable.clean();
    }

    void arrived(long nowNs, long sourcePtsUs) {
        this.arrivalNs = nowNs;
        this.sourcePtsUs = sourcePtsUs;
    }

    /** The frame's timestamp in its source's own time (the mixer takes the source's sound from there). */
    long sourcePtsUs() {
        return sourcePtsUs;
    }

    @Override
    public int width() {
        return width;
    }

    @Override
    public int height() {
        return height;
    }

    @Override
    public MemorySegment plane(int index) {
        return planes[index];
    }

    @Override
    public int stride(int index) {
        return strides[index];
    }

    @Override
    public long arrivalNs() {
        return arrivalNs;
    }

    /** The native AVFrame of a referenced frame: allocated on first use, freed once (closed or unreachable). */
    private static final class Reference implements Runnable {
        private volatile AVFrame frame; // volatile: the cleaner's thread may be the one that frees it
        private volatile boolean held;

        AVFrame frame() {
            if (frame == null) {
                frame = av_frame_alloc();
                if (frame == null) {
                    throw new OutOfMemoryError("av_frame_alloc");
                }
            }
            return frame;
        }

        @Override
        public void run() {
            if (frame != null) {
                av_frame_free(frame); // unreferences first
                frame = null;
            }
        }
    }
}
