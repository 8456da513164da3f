package io.streammanager.encoder.pipeline;

/**
 * What one rendition of a worker reports: its shape, its capped rate control and what it really puts out. The worker
 * thread writes; metrics read (volatile snapshots). Rates over windows of about one second.
 */
public final class RenditionStats {

    private static final long WINDOW_NS = 1_000_000_000L;

    private final int index;
    private final String id;
    private final String codec;
    private final int width;
    private final int height;
    private final String encoderName;
    private final java.util.List<io.streammanager.encoder.codec.EncoderSkip> skipped;
    private volatile int targetBitrateBps;
    private volatile int maxrateBps;
    private volatile int bufsizeBps;
    private volatile double bitrateBps;
    private volatile double fps;
    private volatile long packets;

    private long windowStartNs = System.nanoTime();
    private long windowBytes;
    private long windowPackets;

    RenditionStats(int index, String id, String codec, int width, int height, String encoderName,
                   java.util.List<io.streammanager.encoder.codec.EncoderSkip> skipped, int targetBitrateBps,
                   int maxrateBps, int bufsizeBps) {
        this.skipped = java.util.List.copyOf(skipped);
        this.index = index;
        this.id = id;
        this.codec = codec;
        this.width = width;
        this.height = height;
        this.encoderName = encoderName;
        this.targetBitrateBps = targetBitrateBps;
        this.maxrateBps = maxrateBps;
        this.bufsizeBps = bufsizeBps;
    }

    void packetWritten(long bytes) {
        windowBytes += bytes;
        windowPackets++;
        packets++;
    }

    /** A live bitrate change: the caps follow the target. */
    void bitrate(int bps) {
        targetBitrateBps = bps;
        maxrateBps = bps;
        bufsizeBps = bps;
    }

    void tick(long nowNs) {
        long elapsed = nowNs - windowStartNs;
        if (elapsed >= WINDOW_NS) {
            double seconds = elapsed / 1e9;
            bitrateBps = windowBytes * 8 / seconds;
            fps = windowPackets / seconds;
            windowBytes = 0;
            windowPackets = 0;
            windowStartNs = nowNs;
        }
    }

    void stopped() {
        bitrateBps = 0;
        fps = 0;
    }

    /** Its index in the packet ring (0 = the stream's main rendition). */
    public int index() {
        return index;
    }

    public String id() {
        return id;
    }

    public String codec() {
        return codec;
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** FFmpeg's name of the encoder this rendition got (libx264, h264_nvenc, libvpx-vp9, ...). */
    public String encoderName() {
        return encoderName;
    }

    /** The encoders tried before {@link #encoderName()} and why each was passed over. */
    public java.util.List<io.streammanager.encoder.codec.EncoderSkip> skipped() {
        return skipped;
    }

    public int targetBitrateBps() {
        return targetBitrateBps;
    }

    public int maxrateBps() {
        return maxrateBps;
    }

    public int bufsizeBps() {
        return bufsizeBps;
    }

    /** Encoded bits per second over the last second. */
    public double bitrateBps() {
        return bitrateBps;
    }

    /** Video packets per second over the last second. */
    public double fps() {
        return fps;
    }

    public long packets() {
        return packets;
    }
}
