package io.streammanager.composition.sources;

import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_S16;

import io.streammanager.composition.audio.AudioQueue;
import io.streammanager.composition.audio.AudioTrack;
import io.streammanager.composition.scene.VideoFeed;
import io.streammanager.composition.scene.VideoFrame;
import java.nio.ShortBuffer;
import java.util.concurrent.locks.LockSupport;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;
import org.jboss.logging.Logger;

/**
 * One source (one connection), decoded with FFmpeg on its own thread: opens the input and decodes its picture and
 * its sound. Each picture is scaled with swscale straight into a pooled buffer at the layer's box size and handed
 * to the {@link FrameQueue}; the frame clock takes the newest without ever waiting. The sound is resampled by the
 * grabber (swresample: 48 kHz, stereo, S16) and written with its timestamps into the source's {@link AudioQueue}
 * for the mixer. A source opened for an audio layer alone does not decode pictures until a video layer asks for
 * them ({@link #wantVideo()}). On an error or the end of a live input it reconnects, waiting {@code reconnectMin}
 * doubling up to {@code reconnectMax}. An asset file is played at its own pace (its timestamps against the wall
 * clock: the pictures', or the sound's when no picture is decoded), looped if asked.
 */
public final class MediaSource implements VideoFeed, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(MediaSource.class);

    /** How a source is set up; times in nanoseconds, the audio queue in sample frames at 48 kHz. */
    public record Settings(int maxQueueSize, long stallAfterNs, long readTimeoutNs, long reconnectMinNs,
                           long reconnectMaxNs, int audioQueueFrames) {
    }

    private final String name;
    private final SourceInput input;
    private final boolean loop;
    private final Settings settings;
    private final FrameQueue queue;
    private final AudioTrack audio;
    private final SourceMeters meters;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile int targetWidth;
    private volatile int targetHeight;
    private volatile SourceState rawState = SourceState.CONNECTING;
    private volatile long lastFrameNs;
    private volatile long lastDataNs;
    private volatile boolean videoWanted;
    private volatile String lastError;
    private volatile long lastDecodeNs;

    MediaSource(String name, SourceInput input, boolean loop, boolean video, int width, int height,
                Settings settings, SourceMeters meters) {
        this.name = name;
        this.input = input;
        this.loop = loop;
        this.settings = settings;
        this.queue = new FrameQueue(settings.maxQueueSize());
        this.audio = new AudioTrack(name, new AudioQueue(settings.audioQueueFrames()));
        this.videoWanted = video;
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

    /** Decodes pictures from the next one on (a video layer now shows this source). */
    void wantVideo() {
        videoWanted = true;
    }

    public AudioTrack audio() {
        return audio;
    }

    @Override
    public VideoFrame frameForClock() {
        DecodedFrame before = queue.shownForWatch();
        DecodedFrame frame = queue.takeNewest();
        if (frame != null && frame != before) {
            meters.frameAge(System.nanoTime() - frame.arrivalNs());
        }
        if (frame != null) {
            audio.pictureShown(frame.sourcePtsUs(), frame.arrivalNs()); // its sound plays from that time
        }
        return frame;
    }

    @Override
    public long lastFrameNs() {
        return lastFrameNs;
    }

    /** Whether pictures are arriving: sound alone does not keep a video layer from its fallback. */
    @Override
    public boolean live() {
        return rawState == SourceState.LIVE && System.nanoTime() - lastFrameNs <= settings.stallAfterNs();
    }

    /** The state as observers see it: a live source without a picture or sound for {@code stallAfter} is stalled. */
    public SourceState state() {
        SourceState raw = rawState;
        if (raw == SourceState.LIVE && System.nanoTime() - lastDataNs > settings.stallAfterNs()) {
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

    /** Plays the input until it ends or fails; returns whether it delivered any picture or sound. */
    private boolean play() throws FrameGrabber.Exception {
        boolean delivered = false;
        try (FFmpegFrameGrabber grabber = input.grabber(); FrameScaler scaler = new FrameScaler()) {
            grabber.setImageMode(FrameGrabber.ImageMode.RAW);
            // the grabber converts the decoded sound with swresample to what the mix takes
            grabber.setSampleRate(AudioQueue.SAMPLE_RATE);
            grabber.setAudioChannels(AudioQueue.CHANNELS);
            grabber.setSampleFormat(AV_SAMPLE_FMT_S16);
            if (input.live()) {
                grabber.setOption("rw_timeout", Long.toString(settings.readTimeoutNs() / 1000));
                grabber.setOption("analyzeduration", "500000");
                grabber.setOption("probesize", "500000");
                grabber.setOption("fflags", "nobuffer");
                grabber.setOption("flags", "low_delay");
            }
            grabber.start();
            boolean hasAudio = grabber.hasAudio();
            if (!hasAudio && !(videoWanted && grabber.hasVideo())) {
                // reopened after the backoff: a video layer may want its pictures by then
                throw new FrameGrabber.Exception("the input has no sound track" + (grabber.hasVideo() ? ""
                        : " and no picture"));
            }
            if (input.live()) {
                audio.queue().clear(); // what a dead connection left is stale; a loop's tail still plays
            }
            audio.audioLive(hasAudio);
            Pacer pacer = new Pacer();
            while (running) {
                boolean video = videoWanted && grabber.hasVideo();
                long decodeStartNs = System.nanoTime();
                Frame frame = grabber.grabFrame(hasAudio, video, true, false, false);
                if (frame == null) {
                    return delivered;
                }
                if (frame.samples != null) {
                    if (!video) {
                        pace(pacer, frame.timestamp);
                    }
                    queueSound(frame);
                    delivered = true;
                    continue;
                }
                if (!(frame.opaque instanceof AVFrame decoded) || decoded.width() <= 0) {
                    continue;
                }
                long decodedNs = System.nanoTime();
                lastDecodeNs = decodedNs - decodeStartNs;
                pace(pacer, frame.timestamp);
                DecodedFrame target = queue.claim(targetWidth, targetHeight);
                if (!scaler.scale(decoded, target)) {
                    continue;
                }
                long now = System.nanoTime();
                target.arrived(now, frame.timestamp);
                queue.publish(target);
                meters.decoded(lastDecodeNs);
                lastFrameNs = now;
                lastDataNs = now;
                rawState = SourceState.LIVE;
                delivered = true;
            }
            return delivered;
        } finally {
            audio.audioLive(false);
        }
    }

    private void queueSound(Frame frame) {
        ShortBuffer samples = (ShortBuffer) frame.samples[0];
        int sampleFrames = samples.remaining() / AudioQueue.CHANNELS;
        if (sampleFrames > 0) {
            audio.queue().write(samples, sampleFrames, frame.timestamp);
            lastDataNs = System.nanoTime();
            rawState = SourceState.LIVE;
        }
    }

    /** A file plays at its own pace: waits until {@code timestampUs} is due against the first one's wall time. */
    private void pace(Pacer pacer, long timestampUs) {
        if (input.live()) {
            return;
        }
        long now = System.nanoTime();
        if (pacer.firstTimestampUs == Long.MIN_VALUE) {
            pacer.firstTimestampUs = timestampUs;
            pacer.startNs = now;
        }
        parkUntilStopped(pacer.startNs + (timestampUs - pacer.firstTimestampUs) * 1000 - now);
    }

    /** When one play of a file started, in its own time and the wall clock's. */
    private static final class Pacer {
        long firstTimestampUs = Long.MIN_VALUE;
        long startNs;
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
