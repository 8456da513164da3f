package io.streammanager.composition.sources;

import io.streammanager.composition.scene.VideoFeed;
import io.streammanager.composition.scene.VideoFrame;
import java.util.concurrent.locks.LockSupport;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;
import org.jboss.logging.Logger;

/**
 * One video source, decoded with FFmpeg on its own thread: opens the input, decodes every frame, scales it with
 * swscale straight into a pooled buffer at the layer's box size and hands it to the {@link FrameQueue}; the frame
 * clock takes the newest without ever waiting. On an error or the end of a live input it reconnects, waiting
 * {@code reconnectMin} doubling up to {@code reconnectMax}. An asset file is played at its own pace (its
 * timestamps against the wall clock), looped if asked.
 *
 * <p>Audio is not decoded yet: {@code grabFrame(doAudio=false, ...)}. The audio mix will ask the same grabber for
 * its audio frames and hand them to the mixer from this thread.
 */
public final class VideoSource implements VideoFeed, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(VideoSource.class);

    /** How a source is set up; times in nanoseconds. */
    public record Settings(int maxQueueSize, long stallAfterNs, long readTimeoutNs, long reconnectMinNs,
                           long reconnectMaxNs) {
    }

    private final String name;
    private final SourceInput input;
    private final boolean loop;
    private final Settings settings;
    private final FrameQueue queue;
    private final SourceMeters meters;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile int targetWidth;
    private volatile int targetHeight;
    private volatile SourceState rawState = SourceState.CONNECTING;
    private volatile long lastFrameNs;
    private volatile String lastError;
    private volatile long lastDecodeNs;

    VideoSource(String name, SourceInput input, boolean loop, int width, int height, Settings settings,
                SourceMeters meters) {
        this.name = name;
        this.input = input;
        this.loop = loop;
        this.settings = settings;
        this.queue = new FrameQueue(settings.maxQueueSize());
        this.meters = meters;
        meters.bind(this);
        target(width, height);
        this.thread = Thread.ofPlatform().name("source-" + name).daemon(true).unstarted(this::run);
    }

    void start() {
        thread.start();
    }

    /** The box size frames are scaled to from the next decoded frame on. */
    void target(int width, int height) {
        this.targetWidth = Math.max(2, width & ~1);
        this.targetHeight = Math.max(2, height & ~1);
    }

    @Override
    public void size(int width, int height) {
        if (width != targetWidth || height != targetHeight) {
            target(width, height);
        }
    }

    @Override
    public VideoFrame frameForClock() {
        DecodedFrame before = queue.shownForWatch();
        DecodedFrame frame = queue.takeNewest();
        if (frame != null && frame != before) {
            meters.frameAge(System.nanoTime() - frame.arrivalNs());
        }
        return frame;
    }

    @Override
    public long lastFrameNs() {
        return lastFrameNs;
    }

    @Override
    public boolean live() {
        return state() == SourceState.LIVE;
    }

    /** The state as observers see it: a live source without a frame for {@code stallAfter} is stalled. */
    public SourceState state() {
        SourceState raw = rawState;
        if (raw == SourceState.LIVE && System.nanoTime() - lastFrameNs > settings.stallAfterNs()) {
            return SourceState.STALLED;
        }
        return raw;
    }

    public String lastError() {
        return lastError;
    }

    long droppedFrames() {
        return queue.dropped();
    }

    long repeatedFrames() {
        return queue.repeated();
    }

    long deliveredFrames() {
        return queue.delivered();
    }

    long lastDecodeNs() {
        return lastDecodeNs;
    }

    double fps() {
        return meters.fps();
    }

    String name() {
        return name;
    }

    private void run() {
        long delayNs = settings.reconnectMinNs();
        boolean looping = false;
        while (running) {
            if (!looping) {
                rawState = SourceState.CONNECTING;
            }
            boolean delivered = false;
            try {
                input.check().run();
                delivered = play();
                if (!running) {
                    break;
                }
                if (!input.live() && !loop) {
                    rawState = SourceState.ENDED;
                    break;
                }
                // a looping clip stays live while it starts over; a live input that ended is reopened
                looping = !input.live() && delivered;
                rawState = looping ? SourceState.LIVE : SourceState.ENDED;
                lastError = null;
            } catch (Exception e) {
                looping = false;
                rawState = SourceState.FAILED;
                lastError = e.getMessage();
                LOG.debugf("source %s: %s", name, e.getMessage());
            }
            delayNs = delivered ? settings.reconnectMinNs() : Math.min(delayNs * 2, settings.reconnectMaxNs());
            if (input.live() || !delivered) {
                parkUntilStopped(delayNs);
            }
        }
        meters.close();
    }

    /** Plays the input until it ends or fails; returns whether it delivered any frame. */
    private boolean play() throws FrameGrabber.Exception {
        boolean delivered = false;
        try (FFmpegFrameGrabber grabber = input.grabber(); FrameScaler scaler = new FrameScaler()) {
            grabber.setImageMode(FrameGrabber.ImageMode.RAW);
            if (input.live()) {
                grabber.setOption("rw_timeout", Long.toString(settings.readTimeoutNs() / 1000));
                grabber.setOption("analyzeduration", "500000");
                grabber.setOption("probesize", "500000");
                grabber.setOption("fflags", "nobuffer");
                grabber.setOption("flags", "low_delay");
            }
            grabber.start();
            long firstTimestampUs = Long.MIN_VALUE;
            long startNs = 0;
            while (running) {
                long decodeStartNs = System.nanoTime();
                Frame frame = grabber.grabFrame(false, true, true, false, false);
                if (frame == null) {
                    return delivered;
                }
                if (!(frame.opaque instanceof AVFrame decoded) || decoded.width() <= 0) {
                    continue;
                }
                long decodedNs = System.nanoTime();
                lastDecodeNs = decodedNs - decodeStartNs;
                if (!input.live()) {
                    if (firstTimestampUs == Long.MIN_VALUE) {
                        firstTimestampUs = frame.timestamp;
                        startNs = decodedNs;
                    }
                    parkUntilStopped(startNs + (frame.timestamp - firstTimestampUs) * 1000 - System.nanoTime());
                }
                DecodedFrame target = queue.claim(targetWidth, targetHeight);
                if (!scaler.scale(decoded, target)) {
                    continue;
                }
                long now = System.nanoTime();
                target.arrived(now);
                queue.publish(target);
                meters.decoded(lastDecodeNs);
                lastFrameNs = now;
                rawState = SourceState.LIVE;
                delivered = true;
            }
            return delivered;
        }
    }

    private void parkUntilStopped(long ns) {
        long until = System.nanoTime() + ns;
        for (long left = ns; running && left > 0; left = until - System.nanoTime()) {
            LockSupport.parkNanos(this, left);
        }
    }

    /** Stops the thread after its current read (at most the read timeout); it then frees FFmpeg's state itself. */
    @Override
    public void close() {
        running = false;
        LockSupport.unpark(thread);
    }
}
