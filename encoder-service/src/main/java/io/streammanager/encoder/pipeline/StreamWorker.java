package io.streammanager.encoder.pipeline;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongConsumer;

import org.jboss.logging.Logger;

import io.streammanager.bus.control.spec.EncoderSpec;
import io.streammanager.bus.control.spec.RenditionSpec;
import io.streammanager.bus.control.spec.VideoSpec;
import io.streammanager.bus.shm.CodecConfig;
import io.streammanager.bus.shm.FrameGeometry;
import io.streammanager.bus.shm.FrameRingReader;
import io.streammanager.bus.shm.FrameView;
import io.streammanager.bus.shm.PacketRingWriter;
import io.streammanager.bus.shm.RingFiles;
import io.streammanager.bus.shm.RingUnavailableException;
import io.streammanager.encoder.codec.EncoderOpenException;
import io.streammanager.encoder.codec.EncoderSelector;
import io.streammanager.encoder.codec.HardwareMode;
import io.streammanager.ffmpeg.FfmpegException;
import io.streammanager.encoder.codec.LadderEncoder;
import io.streammanager.encoder.codec.VideoLadder;
import io.streammanager.encoder.codec.LadderSettings;
import io.streammanager.encoder.codec.VideoCodec;
import io.streammanager.encoder.codec.VideoEncoderSettings;

/**
 * Encodes one stream: reads its frame ring in place, writes every rendition of its ladder (H.264, HEVC, VP8 or VP9,
 * keyframes on the same frames) and an AAC track (from the PCM ring, or silence without one; with the main
 * rendition) into its packet ring. Owns one thread, the rings and the encoders; everything native is created and
 * closed on that thread. Survives a composition restart (new ring generation): forces a keyframe and keeps output
 * pts continuous ({@link OutputTimeline}), audio included.
 */
public final class StreamWorker {

    private static final Logger LOG = Logger.getLogger(StreamWorker.class);
    /** Longest single wait, so a stop request is seen quickly and the packet ring heartbeat stays regular. */
    private static final long AWAIT_NS = TimeUnit.MILLISECONDS.toNanos(20);
    /** AVERROR(ENOMEM). */
    private static final int ENOMEM = -12;

    private final WorkerSettings settings;
    private final WorkerListener listener;
    private final LongConsumer encodeNanos;
    private final StreamStats stats;
    private final ThumbnailTap thumbnails;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean deleteRingsOnExit = true;
    private volatile String stopReason = "stopped";
    /** The encoding the worker runs; changed only by the worker thread when it takes {@link #requested}. */
    private volatile EncoderSpec encoderSpec;
    private volatile long specVersion;
    /** A newer encoding handed over by {@link #update}, taken by the worker thread before its next frame. */
    private final AtomicReference<Update> requested = new AtomicReference<>();
    private final VideoLadder.Opener opener;
    private final ReopenBackoff backoff = new ReopenBackoff();
    /** Set once hardware failed {@link ReopenBackoff#HARDWARE_FAILURES} times in a row: the worker's thread only. */
    private boolean softwareOnly;
    /** The AAC track's config, repeated by every rendition before its keyframes; null without audio. */
    private CodecConfig audioConfig;

    private record Update(EncoderSpec encoder, long specVersion) {
    }

    public StreamWorker(WorkerSettings settings, WorkerListener listener, LongConsumer encodeNanos) {
        this(settings, listener, encodeNanos, LadderEncoder::open, ThumbnailTap.NONE);
    }

    /** @param thumbnails offered every frame (it takes one per period); closed by the worker's thread at its end */
    public StreamWorker(WorkerSettings settings, WorkerListener listener, LongConsumer encodeNanos,
                        ThumbnailTap thumbnails) {
        this(settings, listener, encodeNanos, LadderEncoder::open, thumbnails);
    }

    /** @param opener how encoders are opened (a test wraps the real one to make it fail) */
    StreamWorker(WorkerSettings settings, WorkerListener listener, LongConsumer encodeNanos,
                 VideoLadder.Opener opener) {
        this(settings, listener, encodeNanos, opener, ThumbnailTap.NONE);
    }

    private StreamWorker(WorkerSettings settings, WorkerListener listener, LongConsumer encodeNanos,
                         VideoLadder.Opener opener, ThumbnailTap thumbnails) {
        this.thumbnails = thumbnails;
        this.opener = opener;
        this.settings = settings;
        this.listener = listener;
        this.encodeNanos = encodeNanos;
        this.stats = new StreamStats(settings.streamId(), settings.rendition());
        this.encoderSpec = settings.encoder();
        this.specVersion = settings.specVersion();
        this.thread = Thread.ofPlatform().name("encoder-" + settings.streamId()).unstarted(this::run);
    }

    public StreamWorker start() {
        thread.start();
        return this;
    }

    /**
     * Asks the worker to stop and waits up to {@code timeout}. With {@code deleteRings} its packet ring file is
     * deleted (the stream is over); without, the file stays for a successor that takes it over in place.
     * Returns whether the thread ended in time.
     */
    public boolean stop(String reason, boolean deleteRings, Duration timeout) {
        stopReason = reason;
        deleteRingsOnExit = deleteRings;
        running = false;
        LockSupport.unpark(thread);
        try {
            return thread.join(timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !thread.isAlive();
        }
    }

    public boolean alive() {
        return thread.isAlive();
    }

    /**
     * Hands a newer spec version's encoding to the running worker. It takes it before its next frame: a bitrate
     * change in place where the encoder can (libx264), anything else by reopening the encoder with a forced
     * keyframe and continuous timestamps. The packet ring, its readers and their connections stay as they are.
     */
    public void update(EncoderSpec encoder, long version) {
        requested.set(new Update(encoder, version));
        LockSupport.unpark(thread);
    }

    /** The newest spec version handed to this worker (applied before its next frame). */
    public long specVersion() {
        Update pending = requested.get();
        return pending != null ? pending.specVersion() : specVersion;
    }

    /** The encoding the worker runs now. */
    public EncoderSpec encoderSpec() {
        return encoderSpec;
    }

    public WorkerSettings settings() {
        return settings;
    }

    public StreamStats stats() {
        return stats;
    }

    private void run() {
        String streamId = settings.streamId();
        Path packetRing = RingFiles.packetRing(settings.shmDir(), streamId);
        PacketRingWriter packets = null;
        try {
            packets = PacketRingWriter.create(packetRing, settings.packetCapacityBytes());
            try (FrameRingReader reader = awaitFrameRing(packets)) {
                if (reader != null) {
                    encode(reader, packets);
                }
            }
        } catch (EncoderOpenException e) {
            fail("cannot open an encoder: " + e.getMessage(), null);
        } catch (RuntimeException | Error e) {
            fail("encoding failed: " + e, e);
        } finally {
            thumbnails.close();
            if (packets != null) {
                if (deleteRingsOnExit) {
                    packets.closeAndDelete();
                    RingFiles.deleteStreamDirIfEmpty(settings.shmDir(), streamId);
                } else {
                    packets.close();
                }
            }
            if (stats.state() != StreamStats.State.FAILED) {
                stats.state(StreamStats.State.STOPPED);
            }
            LOG.infof("stream %s: encoder worker ended (%s), %d frames encoded", streamId, stopReason,
                    stats.framesEncoded());
            listener.stopped(streamId, stopReason);
        }
    }

    private void fail(String message, Throwable cause) {
        stats.state(StreamStats.State.FAILED);
        stopReason = "error";
        if (cause != null) {
            LOG.errorf(cause, "stream %s: %s", settings.streamId(), message);
        } else {
            LOG.errorf("stream %s: %s", settings.streamId(), message);
        }
        listener.error(settings.streamId(), message);
    }

    /** Opens the frame ring, waiting in short slices (to stay stoppable) and reporting once the wait is too long. */
    private FrameRingReader awaitFrameRing(PacketRingWriter packets) {
        Path frameRing = RingFiles.frameRing(settings.shmDir(), settings.streamId());
        // short attempts: the packet ring's heartbeat must not pause while we wait
        Duration slice = settings.heartbeatInterval().dividedBy(2);
        long startNs = System.nanoTime();
        boolean reported = false;
        while (running) {
            try {
                return FrameRingReader.open(frameRing, slice);
            } catch (RingUnavailableException e) {
                long now = System.nanoTime();
                packets.heartbeat();
                stats.tick(now, 0, 0, 0);
                if (!reported && now - startNs >= settings.openTimeout().toNanos()) {
                    reported = true;
                    String message = "no frames from composition after " + settings.openTimeout().toMillis()
                            + " ms (" + e.getMessage() + "), still waiting";
                    LOG.warnf("stream %s: %s", settings.streamId(), message);
                    listener.error(settings.streamId(), message);
                }
            }
        }
        return null;
    }

    /** The open ladder and the packet ring sink of each of its renditions (index = rendition in the ring). */
    private record Open(VideoLadder encoder, PacketRingSink[] sinks) {

        void drain() {
            for (int i = 0; i < sinks.length; i++) {
                encoder.drain(i, sinks[i]);
            }
        }

        /** Hands out every rendition's last packets and closes the encoders. */
        void flushAndClose() {
            try {
                for (int i = 0; i < sinks.length; i++) {
                    encoder.flush(i, sinks[i]);
                }
            } finally {
                encoder.close();
            }
        }
    }

    private void encode(FrameRingReader reader, PacketRingWriter packets) throws EncoderOpenException {
        CaptureTimes captureTimes = new CaptureTimes();
        // audio rides with the main rendition; every rendition repeats its config before each keyframe
        PacketRingSink audioSink = new PacketRingSink(packets, 0, captureTimes, stats);
        FrameView view = new FrameView();
        FrameGeometry geometry = reader.geometry();
        // audio first: its config must be in the sinks before the first video keyframe
        AudioTrack audio = openAudio(audioSink);
        Open open = null;
        try {
            open = openLadder(geometry, packets, captureTimes);
        } finally {
            if (open == null && audio != null) {
                audio.close();
            }
        }
        listener.started(settings.streamId(), open.encoder().backend(0).codecName());
        stats.state(StreamStats.State.ENCODING);

        long heartbeatNs = settings.heartbeatInterval().toNanos();
        long staleMs = settings.producerStaleAfter().toMillis();
        long lastBeatNs = System.nanoTime();
        OutputTimeline timeline = new OutputTimeline();
        boolean forceKeyframe = false;
        boolean staleReported = false;
        long lostBeforeFirstFrame = -1;
        long lostSeen = 0;
        RealTimeWatch realTime = new RealTimeWatch(geometry.fps());
        try {
            while (running) {
                int result = reader.await(view, AWAIT_NS);
                long now = System.nanoTime();
                if (result == FrameRingReader.FRAME) {
                    if (open == null && backoff.due(now)) {
                        open = reopenAfterFailure(geometry, packets, captureTimes, now);
                        forceKeyframe = open != null;
                    }
                    Update update = requested.getAndSet(null);
                    if (update != null) {
                        Open reopened = open == null ? null
                                : applyUpdate(update, open, geometry, packets, captureTimes);
                        if (open == null) {
                            encoderSpec = update.encoder(); // taken when the encoders open again
                            specVersion = update.specVersion();
                        } else if (reopened != open) {
                            open = reopened;
                            forceKeyframe = true;
                        }
                    }
                    if (lostBeforeFirstFrame < 0) {
                        // frames that went by while the encoder was opening were never ours to encode
                        lostBeforeFirstFrame = reader.lostFrames();
                        lostSeen = lostBeforeFirstFrame;
                    }
                    long frameDurationUs = geometry.frameDurationUs();
                    // the timeline moves on with every frame, encoded or not: pts stay continuous across a reopen
                    long ptsUs = timeline.next(view.ptsUs(), frameDurationUs);
                    long captureEpochUs = view.captureEpochUs();
                    captureTimes.put(ptsUs, captureEpochUs);
                    // once per period: a scaled copy of the slot, before the encoders, so one validity check covers both
                    boolean thumbnail = thumbnails.grab(view.pixels(), PixelFormats.toInput(geometry.pixelFormat()),
                            geometry.width(), geometry.height(), captureEpochUs);
                    Boolean intact = null;
                    if (open != null) {
                        try {
                            open.encoder().submit(view.pixels(), ptsUs, forceKeyframe);
                            // the encoders have copied the picture: was it rewritten under us? (counted as torn)
                            intact = reader.stillValid(view);
                            open.drain();
                            backoff.succeeded();
                            forceKeyframe = false;
                        } catch (FfmpegException e) {
                            encoderFailed(open, e, now);
                            open = null;
                        }
                    }
                    if (thumbnail) {
                        thumbnails.publish(intact != null ? intact : reader.stillValid(view));
                    }
                    if (audio != null) {
                        // the audio goes on while a failed encoder waits to reopen: outputs keep their connection
                        audio.videoFrame(view.ptsUs(), captureEpochUs, ptsUs, frameDurationUs);
                    }
                    long tookNs = System.nanoTime() - now;
                    if (open != null) {
                        encodeNanos.accept(tookNs);
                        stats.frameEncoded();
                        long lost = reader.lostFrames();
                        watchRealTime(realTime.frame(tookNs, geometry.frameDurationUs() * 1_000, lost - lostSeen),
                                tookNs, lost - lostSeen);
                        lostSeen = lost;
                    }
                    if (staleReported) {
                        staleReported = false;
                        LOG.infof("stream %s: frames flowing again", settings.streamId());
                    }
                    lastBeatNs = now;
                } else if (result == FrameRingReader.GENERATION_CHANGED) {
                    FrameGeometry fresh = reader.geometry();
                    LOG.infof("stream %s: composition restarted (generation %d, %s)", settings.streamId(),
                            reader.generation(), fresh);
                    if (open != null) {
                        open.encoder().forgetSlots();
                    }
                    if (!fresh.equals(geometry)) {
                        Open old = open;
                        open = null;
                        if (old != null) {
                            old.flushAndClose();
                        }
                        open = openLadder(fresh, packets, captureTimes);
                        geometry = fresh;
                    }
                    forceKeyframe = true;
                    timeline.sourceRestarted();
                    if (audio != null) {
                        audio.frameRingRestarted();
                    }
                } else if (!staleReported && reader.producerHeartbeatAgeMs() > staleMs) {
                    staleReported = true;
                    String message = "composition stopped producing frames (heartbeat "
                            + reader.producerHeartbeatAgeMs() + " ms old), waiting for it";
                    LOG.warnf("stream %s: %s", settings.streamId(), message);
                    listener.error(settings.streamId(), message);
                }
                if (now - lastBeatNs >= heartbeatNs) {
                    packets.heartbeat();
                    lastBeatNs = now;
                }
                long dropped = lostBeforeFirstFrame < 0 ? 0 : reader.lostFrames() - lostBeforeFirstFrame;
                stats.tick(now, Math.min(reader.backlog(), reader.slotCount()), dropped, reader.tornFrames());
            }
        } finally {
            try {
                if (open != null) {
                    open.encoder().close();
                }
            } finally {
                if (audio != null) {
                    audio.close();
                }
            }
        }
    }

    /**
     * An encoder failed mid-stream (an FFmpeg error, a lost hardware session): the whole ladder is dropped without
     * its buffered packets (a broken encoder cannot flush) and reopened after a backoff, with a keyframe in every
     * rendition. The packet ring, its readers and their connections stay.
     */
    private void encoderFailed(Open open, FfmpegException failure, long nowNs) {
        boolean hardware = usesHardware(open.encoder());
        try {
            open.encoder().close();
        } catch (RuntimeException e) {
            LOG.debugf("stream %s: closing the failed encoders: %s", settings.streamId(), e.toString());
        }
        long retryAtNs = backoff.failed(nowNs);
        EncoderErrorCategory category = failure.errorCode() == ENOMEM
                ? EncoderErrorCategory.RESOURCE_EXHAUSTION : EncoderErrorCategory.CRASH;
        String message = "encoder failed (" + failure.getMessage() + "), reopening in "
                + (retryAtNs - nowNs) / 1_000_000 + " ms (failure " + backoff.failures() + " in a row)";
        LOG.warnf("stream %s: %s", settings.streamId(), message);
        listener.encoderError(settings.streamId(), category, message);
        fallBackIfHardwareKeepsFailing(hardware);
    }

    /** Opens the encoders again after a failure; null (and a longer wait) if they still cannot. */
    private Open reopenAfterFailure(FrameGeometry geometry, PacketRingWriter packets, CaptureTimes captureTimes,
                                    long nowNs) {
        try {
            Open reopened = openLadder(geometry, packets, captureTimes);
            LOG.infof("stream %s: encoders reopened after %d failure(s)", settings.streamId(), backoff.failures());
            return reopened;
        } catch (EncoderOpenException | RuntimeException e) {
            long retryAtNs = backoff.failed(nowNs);
            boolean noResource = e instanceof EncoderOpenException open
                    && open.failure() == EncoderOpenException.Failure.NO_DEVICE;
            String message = "encoder cannot reopen (" + e.getMessage() + "), next try in "
                    + (retryAtNs - nowNs) / 1_000_000 + " ms";
            LOG.warnf("stream %s: %s", settings.streamId(), message);
            listener.encoderError(settings.streamId(), noResource ? EncoderErrorCategory.RESOURCE_EXHAUSTION
                    : EncoderErrorCategory.CRASH, message);
            fallBackIfHardwareKeepsFailing(!softwareOnly);
            return null;
        }
    }

    private void fallBackIfHardwareKeepsFailing(boolean hardware) {
        if (hardware && !softwareOnly && backoff.giveUpHardware()) {
            softwareOnly = true;
            String message = "hardware encoding failed " + backoff.failures() + " times in a row: software from now on";
            LOG.warnf("stream %s: %s", settings.streamId(), message);
            listener.encoderError(settings.streamId(), EncoderErrorCategory.QUALITY_DEGRADATION, message);
        }
    }

    private static boolean usesHardware(VideoLadder ladder) {
        for (int i = 0; i < ladder.renditionCount(); i++) {
            if (ladder.backend(i).hardware()) {
                return true;
            }
        }
        return false;
    }

    /** Reports the start of an episode of falling behind real time or of lost frames, once, as an event. */
    private void watchRealTime(RealTimeWatch.Onset onset, long tookNs, long lost) {
        if (onset == RealTimeWatch.Onset.BEHIND) {
            String message = "encoder behind real time: encoding takes " + tookNs / 1_000 + " us per frame for a "
                    + "second, over the frame interval";
            LOG.warnf("stream %s: %s", settings.streamId(), message);
            listener.encoderError(settings.streamId(), EncoderErrorCategory.QUALITY_DEGRADATION, message);
        } else if (onset == RealTimeWatch.Onset.DROPPING) {
            String message = "encoder behind real time: " + lost + " frame(s) lost to the composition lapping it";
            LOG.warnf("stream %s: %s", settings.streamId(), message);
            listener.encoderError(settings.streamId(), EncoderErrorCategory.FRAME_DROPPING, message);
        }
    }

    /**
     * Takes a newer encoding between two frames. Returns the ladder to go on with: the same one (nothing to do, or
     * its bitrates changed in place) or a new one, opened after the old one handed out its last packets. If the new
     * settings cannot open, the old ones are opened again, so the stream goes on, and the failure is reported.
     */
    private Open applyUpdate(Update update, Open open, FrameGeometry geometry, PacketRingWriter packets,
                             CaptureTimes captureTimes) throws EncoderOpenException {
        EncoderSpec previous = encoderSpec;
        VideoSpec canvas = canvas(geometry);
        EncoderChange change = EncoderChange.between(previous, update.encoder(), canvas);
        encoderSpec = update.encoder();
        specVersion = update.specVersion();
        if (change == EncoderChange.NONE) {
            return open;
        }
        if (change == EncoderChange.BITRATE && changeBitratesInPlace(open, update.encoder().renditionsFor(canvas))) {
            LOG.infof("stream %s: bitrates changed in place (spec version %d)", settings.streamId(),
                    update.specVersion());
            return open;
        }
        open.flushAndClose();
        try {
            Open reopened = openLadder(geometry, packets, captureTimes);
            LOG.infof("stream %s: encoders reopened for spec version %d (%s)", settings.streamId(),
                    update.specVersion(), change.name().toLowerCase(Locale.ROOT));
            return reopened;
        } catch (EncoderOpenException | RuntimeException e) {
            String message = "spec version " + update.specVersion() + ": cannot open the encoders with the new "
                    + "settings, keeping the previous ones: " + e.getMessage();
            LOG.errorf("stream %s: %s", settings.streamId(), message);
            listener.error(settings.streamId(), message);
            encoderSpec = previous;
            return openLadder(geometry, packets, captureTimes);
        }
    }

    /** Retargets each rendition whose bitrate moved; false if one of them cannot (then the ladder reopens). */
    private boolean changeBitratesInPlace(Open open, List<RenditionSpec> wanted) {
        List<RenditionStats> current = stats.renditions();
        for (int i = 0; i < wanted.size(); i++) {
            int bps = Math.multiplyExact(wanted.get(i).bitrateKbps(), 1000);
            if (current.get(i).targetBitrateBps() != bps && !open.encoder().backend(i).liveBitrate()) {
                return false;
            }
        }
        for (int i = 0; i < wanted.size(); i++) {
            int bps = Math.multiplyExact(wanted.get(i).bitrateKbps(), 1000);
            if (current.get(i).targetBitrateBps() != bps) {
                open.encoder().changeBitrate(i, bps);
                current.get(i).bitrate(bps);
                LOG.infof("stream %s: rendition %s now %d kbit/s (in place)", settings.streamId(),
                        current.get(i).id(), bps / 1000);
            }
        }
        return true;
    }

    /**
     * The stream's AAC track (null when audio is disabled), from the PCM ring if the composition has one (it
     * creates it before the frame ring); its config goes before every keyframe.
     */
    private AudioTrack openAudio(PacketRingSink sink) throws EncoderOpenException {
        if (settings.audio() == null) {
            return null;
        }
        AudioTrack track = AudioTrack.open(settings.audio(), RingFiles.pcmRing(settings.shmDir(), settings.streamId()),
                sink::acceptAudio, stats.audio());
        audioConfig = track.config();
        sink.audioConfig(audioConfig);
        return track;
    }

    private static VideoSpec canvas(FrameGeometry geometry) {
        return new VideoSpec(geometry.width(), geometry.height(), geometry.fps());
    }

    /** The ladder the current spec asks for on this canvas: one encoder per rendition, IDRs on the same frames. */
    private LadderSettings ladderSettings(FrameGeometry geometry) {
        EncoderSpec spec = encoderSpec.withDefaults();
        int keyframeSeconds = Math.max(1, spec.keyframeIntervalSeconds());
        List<VideoEncoderSettings> renditions = new ArrayList<>();
        for (RenditionSpec rendition : spec.renditionsFor(canvas(geometry))) {
            renditions.add(new VideoEncoderSettings(VideoCodec.parse(rendition.codec()), rendition.width(),
                    rendition.height(), rendition.fps(), Math.multiplyExact(rendition.bitrateKbps(), 1000),
                    // the ladder forces every IDR itself; the encoder's own schedule is only a backstop behind it
                    2 * rendition.fps() * keyframeSeconds, spec.preset(), spec.tune(), rendition.profile(),
                    settings.threads()));
        }
        return new LadderSettings(PixelFormats.toInput(geometry.pixelFormat()), geometry.width(), geometry.height(),
                geometry.fps(), geometry.fps() * keyframeSeconds, renditions);
    }

    private Open openLadder(FrameGeometry geometry, PacketRingWriter packets, CaptureTimes captureTimes)
            throws EncoderOpenException {
        EncoderSpec spec = encoderSpec.withDefaults();
        List<RenditionSpec> ids = spec.renditionsFor(canvas(geometry));
        // after hardware failed again and again, software (see ReopenBackoff)
        HardwareMode mode = softwareOnly ? HardwareMode.SOFTWARE
                : HardwareMode.forStream(spec.hwaccel(), settings.hardware());
        EncoderSelector selector = new EncoderSelector(mode, settings.hardwareFallback());
        VideoLadder encoder = opener.open(ladderSettings(geometry), selector);
        PacketRingSink[] sinks = new PacketRingSink[encoder.renditionCount()];
        List<RenditionStats> opened = new ArrayList<>(sinks.length);
        for (int i = 0; i < sinks.length; i++) {
            VideoEncoderSettings video = encoder.settings().renditions().get(i);
            RenditionStats rendition = new RenditionStats(i, ids.get(i).id(), video.codec().configName(),
                    video.width(), video.height(), encoder.backend(i).codecName(), encoder.skipped(i),
                    video.bitrateBps(),
                    video.maxrateBps(), video.bufsizeBps());
            sinks[i] = new PacketRingSink(packets, i, captureTimes, stats, rendition);
            if (audioConfig != null) {
                sinks[i].audioConfig(audioConfig);
            }
            sinks[i].codecConfig(CodecConfig.video(video.codec().configName(), video.width(), video.height(),
                    video.fps(), video.bitrateBps(), encoder.extradata(i)));
            opened.add(rendition);
        }
        stats.encoderName(encoder.backend(0).codecName());
        stats.renditions(opened);
        listener.renditionsOpened(settings.streamId(), stats.renditions());
        LOG.infof("stream %s: encoding %s", settings.streamId(), opened.stream()
                .map(r -> r.id() + "=" + r.width() + "x" + r.height() + "@" + r.targetBitrateBps() / 1000 + "k/"
                        + r.encoderName()).toList());
        return new Open(encoder, sinks);
    }
}
