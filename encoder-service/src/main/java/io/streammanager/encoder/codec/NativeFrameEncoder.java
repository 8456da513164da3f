package io.streammanager.encoder.codec;

import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * One encoder fed from shared-memory slots without a heap copy: a {@link LadderEncoder} of a single rendition at the
 * slots' size (YUV420P slots go to the encoder as they are, BGRA slots are converted in place by swscale). Usage per
 * frame: {@link #submit}, then check the slot is still valid, then {@link #drain}. One owning thread; closed once.
 */
public final class NativeFrameEncoder implements AutoCloseable {

    private final FrameEncoderSettings settings;
    private final LadderEncoder ladder;

    private NativeFrameEncoder(FrameEncoderSettings settings, LadderEncoder ladder) {
        this.settings = settings;
        this.ladder = ladder;
    }

    /** Opens the encoder the selector picks; the returned object owns it. */
    public static NativeFrameEncoder open(FrameEncoderSettings settings, EncoderSelector selector)
            throws EncoderOpenException {
        VideoEncoderSettings video = settings.encoder();
        LadderSettings one = new LadderSettings(settings.input(), video.width(), video.height(), video.fps(),
                video.gopFrames(), List.of(video));
        return new NativeFrameEncoder(settings, LadderEncoder.open(one, selector));
    }

    /**
     * Hands the frame in {@code pixels} (one slot) to the encoder with presentation time {@code ptsUs}. On return
     * the encoder no longer reads the slot, so the caller can check the seqlock.
     */
    public void submit(MemorySegment pixels, long ptsUs, boolean forceKeyframe) {
        ladder.submit(pixels, ptsUs, forceKeyframe);
    }

    /** @see VideoEncoder#changeBitrate(int) */
    public boolean changeBitrate(int bitrateBps) {
        return ladder.changeBitrate(0, bitrateBps);
    }

    public int drain(PacketSink sink) {
        return ladder.drain(0, sink);
    }

    public int flush(PacketSink sink) {
        return ladder.flush(0, sink);
    }

    /** Forget slot addresses (the frame ring was reopened, its old mapping is going away). */
    public void forgetSlots() {
        ladder.forgetSlots();
    }

    public byte[] extradata() {
        return ladder.extradata(0);
    }

    public EncoderBackend backend() {
        return ladder.backend(0);
    }

    public FrameEncoderSettings settings() {
        return settings;
    }

    @Override
    public void close() {
        ladder.close();
    }
}
