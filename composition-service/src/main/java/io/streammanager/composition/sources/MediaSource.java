package io.streammanager.composition.sources;

import io.streammanager.composition.audio.AudioQueue;
import io.streammanager.composition.audio.AudioTrack;
import io.streammanager.composition.scene.VideoFeed;
import io.streammanager.composition.scene.VideoFrame;
import io.streammanager.ffmpeg.UrlMasking;
import java.nio.ShortBuffer;
import java.util.concurrent.locks.LockSupport;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;
import org.jboss.logging.Logger;

/**
 * One source (one connection), decoded with FFmpeg on its own thread: opens the input and decodes its picture and its
 * sound. Each picture is brought to the layer's box by the {@link FrameScaler} (referenced as decoded when it already
 * fits, else scaled with swscale into a pooled buffer) and handed to the {@link FrameQueue}; the frame clock takes the
 * newest without ever waiting. The sound is resampled by the grabber (swresample: 48 kHz, stereo, S16) and written with
 * its timestamps into the source's {@link AudioQueue} for the mixer. A source opened for an audio layer alone does not
 * decode pictures until a video layer asks for them ({@link #wantVideo()}). On an error or the end of a live input it
 * reconnects, waiting {@code reconnectMin} doubling up to {@code reconnectMax}. An asset file is played at its own pace
 * (its timestamps against the wall clock: the pictures', or the sound's when no picture is decoded), looped if asked.
 */
public final class MediaSource implements VideoFeed, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(MediaSource.class);

    /** How a source is set up; times in nanoseconds, the audio queue in sample frames at 48 kHz. */
    public record Settings(int maxQueueSize, long stallAfterNs, long readTimeoutNs, long reconnectMinNs,
                           long reconnectMaxNs, int audioQueueFrames, HardwareDecoders decoders) {
    }

    private final String name;
    private final SourceInput input;
    private final InputOpener opener;
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
        this.opener = new InputOpener(name, input, settings.readTimeoutNs(), settings.decoders());
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

    /** Whether a video layer shows this source's pictures (else it is only heard). */
    boolean pictures() {
        return videoWanted;
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

    /** The video decoder in use, or null (no picture decoded yet). */
    String decoder() {
        return opener.decoder();
    }

    /** Why a hardware decoder was given up for this source, or null. */
    String hardwareDecodeError() {
        return opener.hardwareError();
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
                lastError = UrlMasking.mask(e.getMessage()); // shown in the stream view and the events feed
                LOG.debugf("source %s: %s", name, e.getMessage());
            }
            delayNs = delivered ? settings.reconnectMinNs() : Math.min(delayNs * 2, settings.reconnectMaxNs());
            if (input.live() || !delivered) {
                parkUntilStopped(delayNs);
            }
        }
        queue.close();
        meters.close();
    }

    /** Plays the input until it ends or fails; returns whether it delivered any picture or sound. */
    private boolean play() throws FrameGrabber.Exception {
        boolean delivered = false;
        boolean pictured = false;
        try (FFmpegFrameGrabber grabber = opener.open(videoWanted); FrameScaler scaler = new FrameScaler()) {
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
                    // a looped file starts over in the open input, on the same pacing timeline: no reopen, no gap
                    if (loop && !input.live() && pacer.inPass() && startOver(grabber, pacer)) {
                        continue;
                    }
                    return delivered;
                }
                if (frame.samples != null) {
                    if (!video) {
                        pace(pacer, frame.timestamp, ((java.nio.Buffer) frame.samples[0]).remaining()
                                / AudioQueue.CHANNELS * 1_000_000L / AudioQueue.SAMPLE_RATE);
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
                pace(pacer, frame.timestamp, 0);
                DecodedFrame target = queue.claim();
                if (!scaler.fill(decoded, target, targetWidth, targetHeight)) {
                    queue.unclaimed(target);
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
                pictured = true;
            }
            return delivered;
        } catch (FrameGrabber.Exception | RuntimeException e) {
            if (!pictured) {
                opener.failedBeforeFirstPicture(e.getMessage());
            }
            throw e;
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

    /**
     * A file plays at its own pace: waits until {@code timestampUs} is due on its pacing timeline. {@code durationUs}
     * is the sound's length (0 for a picture: its pass ends one frame step after its timestamp).
     */
    private void pace(Pacer pacer, long timestampUs, long durationUs) {
        if (input.live()) {
            return;
        }
        parkUntilStopped(pacer.dueNs(timestampUs, durationUs, System.nanoTime()) - System.nanoTime());
    }

    /** Seeks a looped file back to its start; false if it cannot seek (it is then reopened). */
    private boolean startOver(FFmpegFrameGrabber grabber, Pacer pacer) {
        try {
            grabber.setTimestamp(0L);
        } catch (FrameGrabber.Exception e) {
            LOG.debugf("source %s: cannot seek to the start, reopening: %s", name, e.getMessage());
            return false;
        }
        pacer.startOver();
        return true;
    }

    /**
     * When a file's timestamps are due on the wall clock: the first one when it is first seen, the others after it
     * at the file's pace. A loop goes on where the previous pass ended (the end of its last sound, or its last
     * picture's timestamp plus one frame step), so the
     * seek costs no time on the timeline; a pass that falls more than {@link #MAX_LATE_NS} behind (a stalled disk)
     * starts a new timeline rather than rushing everything it missed.
     */
    static final class Pacer {
        static final long MAX_LATE_NS = 1_000_000_000L;
        private long firstUs = Long.MIN_VALUE;
        private long startNs;
        private boolean started;
        private long lastUs = Long.MIN_VALUE;
        private long endUs = Long.MIN_VALUE;

        /** The wall time {@code timestampUs} is due; {@code durationUs} as for {@link MediaSource#pace}. */
        long dueNs(long timestampUs, long durationUs, long nowNs) {
            if (firstUs == Long.MIN_VALUE) {
                firstUs = timestampUs;
                startNs = started ? startNs : nowNs;
                started = true;
            }
            long stepUs = durationUs > 0 || lastUs == Long.MIN_VALUE ? durationUs : timestampUs - lastUs;
            lastUs = timestampUs;
            endUs = Math.max(endUs, timestampUs + Math.max(0, stepUs));
            long due = startNs + (timestampUs - firstUs) * 1000;
            if (nowNs - due > MAX_LATE_NS) {
                startNs += nowNs - due;
                due = nowNs;
            }
            return due;
        }

        /** Whether this pass over the file has paced anything yet (a pass that played nothing is not looped). */
        boolean inPass() {
            return firstUs != Long.MIN_VALUE;
        }

        /** The file starts over: its first timestamp is next due where this pass ended. */
        void startOver() {
            startNs += (endUs - firstUs) * 1000;
            firstUs = Long.MIN_VALUE;
            lastUs = Long.MIN_VALUE;
            endUs = Long.MIN_VALUE;
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
