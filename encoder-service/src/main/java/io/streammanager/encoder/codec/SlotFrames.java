package io.streammanager.encoder.codec;

import static org.bytedeco.ffmpeg.global.avutil.av_buffer_create;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_image_fill_arrays;

import io.streammanager.ffmpeg.FfmpegErrors;
import io.streammanager.ffmpeg.FfmpegException;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

import org.bytedeco.ffmpeg.avutil.AVBufferRef;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.Free_Pointer_BytePointer;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * AVFrames that point straight at shared-memory frame slots, built once per slot address and reused for every frame
 * that lands in that slot. Each frame is reference counted over the slot (with a free callback that does nothing,
 * since the ring owns the memory), so {@code avcodec_send_frame} takes a reference instead of copying the picture.
 * One owning thread; close before the ring's mapping goes away.
 */
public final class SlotFrames implements AutoCloseable {

    /** The ring owns slot memory: dropping the last FFmpeg reference must not free it. Kept for the JVM's life. */
    private static final Free_Pointer_BytePointer RING_OWNS_MEMORY = new Free_Pointer_BytePointer() {
        @Override
        public void call(Pointer opaque, BytePointer data) {
            // nothing to free
        }
    };

    private final InputFormat format;
    private final int width;
    private final int height;
    private final int frameBytes;
    private long[] addresses = new long[8];
    private SlotFrame[] frames = new SlotFrame[8];
    private int count;
    private boolean closed;

    /** A slot's frame plus the pointer arrays swscale wants, created once. */
    public record SlotFrame(AVFrame frame, PointerPointer<?> data, IntPointer linesize) {
    }

    public SlotFrames(InputFormat format, int width, int height) {
        this.format = format;
        this.width = width;
        this.height = height;
        this.frameBytes = format.frameBytes(width, height);
    }

    /** The frame over {@code pixels} (one slot, exactly one frame long), created on first sight of that slot. */
    public SlotFrame frameFor(MemorySegment pixels) {
        if (closed) {
            throw new IllegalStateException("slot frames closed");
        }
        long address = pixels.address();
        for (int i = 0; i < count; i++) {
            if (addresses[i] == address) {
                return frames[i];
            }
        }
        if (pixels.byteSize() < frameBytes) {
            throw new IllegalArgumentException("slot of " + pixels.byteSize() + " bytes is smaller than one "
                    + format + " " + width + "x" + height + " frame of " + frameBytes + " bytes");
        }
        SlotFrame created = wrap(pixels);
        if (count == addresses.length) {
            addresses = Arrays.copyOf(addresses, count * 2);
            frames = Arrays.copyOf(frames, count * 2);
        }
        addresses[count] = address;
        frames[count] = created;
        count++;
        return created;
    }

    private SlotFrame wrap(MemorySegment pixels) {
        BytePointer slot = new BytePointer(pixels.asSlice(0, frameBytes).asByteBuffer());
        AVFrame frame = av_frame_alloc();
        frame.format(format.avPixelFormat()).width(width).height(height);
        AVBufferRef buffer = av_buffer_create(slot, frameBytes, RING_OWNS_MEMORY, null, 0);
        if (buffer == null || buffer.isNull()) {
            av_frame_free(frame);
            throw new FfmpegException("av_buffer_create over a frame slot failed", 0);
        }
        frame.buf(0, buffer);
        PointerPointer<?> data = frame.data();
        IntPointer linesize = frame.linesize();
        FfmpegErrors.check(av_image_fill_arrays(data, linesize, slot, format.avPixelFormat(), width, height, 1),
                "av_image_fill_arrays over a frame slot");
        return new SlotFrame(frame, data, linesize);
    }

    /** Slots seen so far (bounded by the ring's slot count). */
    public int size() {
        return count;
    }

    /** Forgets every slot (the ring was remapped). */
    public void clear() {
        for (int i = 0; i < count; i++) {
            av_frame_free(frames[i].frame());
            frames[i] = null;
        }
        count = 0;
    }

    @Override
    public void close() {
        if (!closed) {
            clear();
            closed = true;
        }
    }
}
