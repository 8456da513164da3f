package io.streammanager.encoder.codec;

import java.lang.foreign.MemorySegment;

import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.global.avutil;

/**
 * Encodes frames that live in shared memory without copying them into the Java heap: YUV420P slots go to the
 * encoder as they are, BGRA slots are read in place by swscale into one YUV420P frame. Usage per frame:
 * {@link #submit}, then check the slot is still valid, then {@link #drain}. One owning thread; closed once.
 */
public final class NativeFrameEncoder implements AutoCloseable {

    private final FrameEncoderSettings settings;
    private final VideoEncoder encoder;
    private final SlotFrames slots;
    private final Scaler scaler;
    private final YuvFrame converted;
    private boolean closed;

    private NativeFrameEncoder(FrameEncoderSettings settings, VideoEncoder encoder) {
        this.settings = settings;
        this.encoder = encoder;
        VideoEncoderSettings video = settings.encoder();
        this.slots = new SlotFrames(settings.input(), video.width(), video.height());
        if (settings.input() == InputFormat.YUV420P) {
            this.scaler = null;
            this.converted = null;
        } else {
            this.scaler = new Scaler(ScalerSettings.toYuv420p(settings.input(), video.width(), video.height()));
            this.converted = new YuvFrame(video.width(), video.height());
        }
    }

    /** Opens the encoder the selector picks; the returned object owns it. */
    public static NativeFrameEncoder open(FrameEncoderSettings settings, EncoderSelector selector)
            throws EncoderOpenException {
        VideoEncoder encoder = selector.open(settings.encoder());
        try {
            return new NativeFrameEncoder(settings, encoder);
        } catch (RuntimeException e) {
            encoder.close();
            throw e;
        }
    }

    /**
     * Hands the frame in {@code pixels} (one slot) to the encoder with presentation time {@code ptsUs}. On return
     * the encoder no longer reads the slot, so the caller can check the seqlock.
     */
    public void submit(MemorySegment pixels, long ptsUs, boolean forceKeyframe) {
        SlotFrames.SlotFrame slot = slots.frameFor(pixels);
        AVFrame frame;
        if (scaler == null) {
            frame = slot.frame();
        } else {
            scaler.convert(slot, converted);
            frame = converted.frame();
        }
        frame.pts(ptsUs);
        frame.duration(settings.encoder().frameDurationUs());
        frame.pict_type(forceKeyframe ? avutil.AV_PICTURE_TYPE_I : avutil.AV_PICTURE_TYPE_NONE);
        encoder.send(frame);
    }

    /** @see VideoEncoder#changeBitrate(int) */
    public boolean changeBitrate(int bitrateBps) {
        return encoder.changeBitrate(bitrateBps);
    }

    public int drain(PacketSink sink) {
        return encoder.drain(sink);
    }

    public int flush(PacketSink sink) {
        return encoder.flush(sink);
    }

    /** Forget slot addresses (the frame ring was reopened, its old mapping is going away). */
    public void forgetSlots() {
        slots.clear();
    }

    public byte[] extradata() {
        return encoder.extradata();
    }

    public EncoderBackend backend() {
        return encoder.backend();
    }

    public FrameEncoderSettings settings() {
        return settings;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try (encoder; slots) {
            if (scaler != null) {
                scaler.close();
                converted.close();
            }
        }
    }
}
