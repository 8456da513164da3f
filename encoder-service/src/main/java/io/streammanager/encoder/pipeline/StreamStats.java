package io.streammanager.encoder.pipeline;

/**
 * What one worker reports about itself. The worker thread writes; metrics and health read (volatile snapshots).
 * Rates are computed over windows of about one second.
 */
public final class StreamStats {

    /** Where a worker is in its life. */
    public enum State { WAITING_FOR_FRAMES, ENCODING, STOPPED, FAILED }

    private static final long WINDOW_NS = 1_000_000_000L;

    private final String streamId;
    private final int rendition;
    private final AudioStats audio = new AudioStats();
    private volatile State state = State.WAITING_FOR_FRAMES;
    private volatile String encoderName = "none";
    private volatile double fps;
    private volatile double bitrateBps;
    private volatile long queueSize;
    private volatile long droppedFrames;
    private volatile long tornFrames;
    private volatile long framesEncoded;
    private volatile long lastLoopNanos = System.nanoTime();
    private volatile java.util.List<RenditionStats> renditions = java.util.List.of();

    private long windowStartNs = System.nanoTime();
    private long windowFrames;
    private long windowBytes;

    public StreamStats(String streamId, int rendition) {
        this.streamId = streamId;
        this.rendition = rendition;
    }

    void frameEncoded() {
        windowFrames++;
        framesEncoded++;
    }

    void bytesWritten(long bytes) {
        windowBytes += bytes;
    }

    /** Called every loop turn: proves the worker is alive and closes the rate window once a second passed. */
    void tick(long nowNs, long queued, long dropped, long torn) {
        lastLoopNanos = nowNs;
        for (RenditionStats rendition : renditions) {
            rendition.tick(nowNs);
        }
        queueSize = queued;
        droppedFrames = dropped;
        tornFrames = torn;
        long elapsed = nowNs - windowStartNs;
        if (elapsed >= WINDOW_NS) {
            double seconds = elapsed / 1e9;
            fps = windowFrames / seconds;
            bitrateBps = windowBytes * 8 / seconds;
            windowFrames = 0;
            windowBytes = 0;
            windowStartNs = nowNs;
        }
    }

    void state(State newState) {
        state = newState;
        if (newState == State.STOPPED || newState == State.FAILED) {
            renditions.forEach(RenditionStats::stopped);
            fps = 0;
            bitrateBps = 0;
            queueSize = 0;
        }
    }

    void encoderName(String name) {
        encoderName = name;
    }

    void renditions(java.util.List<RenditionStats> opened) {
        renditions = java.util.List.copyOf(opened);
    }

    /** The renditions the worker encodes now, in packet ring order. */
    public java.util.List<RenditionStats> renditions() {
        return renditions;
    }

    /** The AAC track's counters. */
    public AudioStats audio() {
        return audio;
    }

    public String streamId() {
        return streamId;
    }

    public int rendition() {
        return rendition;
    }

    public State state() {
        return state;
    }

    public String encoderName() {
        return encoderName;
    }

    public double fps() {
        return fps;
    }

    public double bitrateBps() {
        return bitrateBps;
    }

    public long queueSize() {
        return queueSize;
    }

    /** Frames the encoder never saw: the composition lapped it (ring overrun), counted since the first frame. */
    public long droppedFrames() {
        return droppedFrames;
    }

    /**
     * Frames the composition rewrote while the encoder was copying them: encoded anyway (the encoder cannot take a
     * picture back), so possibly a mix of two frames on screen. Not counted in {@link #droppedFrames()}.
     */
    public long tornFrames() {
        return tornFrames;
    }

    public long framesEncoded() {
        return framesEncoded;
    }

    /** Milliseconds since the worker's loop last turned. */
    public long loopAgeMs() {
        return (System.nanoTime() - lastLoopNanos) / 1_000_000;
    }
}
