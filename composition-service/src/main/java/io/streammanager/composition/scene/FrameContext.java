package io.streammanager.composition.scene;

/**
 * What a painter may know about the frame being rendered. One mutable instance per stream, owned by its frame
 * clock thread and refilled each frame, so rendering allocates nothing for it.
 */
public final class FrameContext {

    private final String streamName;
    private long frameIndex;
    private long ptsUs;
    private long captureEpochUs;
    private long serial;

    public FrameContext(String streamName) {
        this.streamName = streamName;
    }

    public FrameContext set(long frameIndex, long ptsUs, long captureEpochUs) {
        this.frameIndex = frameIndex;
        this.ptsUs = ptsUs;
        this.captureEpochUs = captureEpochUs;
        this.serial++;
        return this;
    }

    public String streamName() {
        return streamName;
    }

    public long frameIndex() {
        return frameIndex;
    }

    public long ptsUs() {
        return ptsUs;
    }

    public long captureEpochUs() {
        return captureEpochUs;
    }

    /** Differs for every {@link #set}: lets a painter do per-frame work once even when asked twice in a frame. */
    public long serial() {
        return serial;
    }
}
