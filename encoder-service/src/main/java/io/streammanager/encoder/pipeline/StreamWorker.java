package io.streammanager.encoder.pipeline;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongConsumer;

import org.jboss.logging.Logger;

import io.streammanager.bus.control.spec.EncoderSpec;
import io.streammanager.bus.shm.CodecConfig;
import io.streammanager.bus.shm.FrameGeometry;
import io.streammanager.bus.shm.FrameRingReader;
import io.streammanager.bus.shm.FrameView;
import io.streammanager.bus.shm.PacketRingWriter;
import io.streammanager.bus.shm.RingFiles;
import io.streammanager.bus.shm.RingUnavailableException;
import io.streammanager.encoder.codec.AudioEncoder;
import io.streammanager.encoder.codec.AudioEncoderSettings;
import io.streammanager.encoder.codec.EncoderOpenException;
import io.streammanager.encoder.codec.EncoderSelector;
import io.streammanager.encoder.codec.FrameEncoderSettings;
import io.streammanager.encoder.codec.NativeFrameEncoder;
import io.streammanager.encoder.codec.VideoEncoderSettings;

/**
 * Encodes one stream: reads its frame ring in place, writes H.264 and an AAC track (silence on the video clock for
 * now) into its packet ring. Owns one thread, the rings and the encoders; everything native is created and closed on
 * that thread. Survives a composition restart (new
 * ring generation): forces a keyframe and keeps output pts continuous.
 */
public final class StreamWorker {

    private static final Logger LOG = Logger.getLogger(StreamWorker.class);
    /** Longest single wait, so a stop request is seen quickly and the packet ring heartbeat stays regular. */
    private static final long AWAIT_NS = TimeUnit.MILLISECONDS.toNanos(20);

    private final WorkerSettings settings;
    private final WorkerListener listener;
    private final LongConsumer encodeNanos;
    private final StreamStats stats;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean deleteRingsOnExit = true;
    private volatile String stopReason = "stopped";
    /** The encoding the worker runs; changed only by the worker thread when it takes {@link #requested}. */
    private volatile EncoderSpec encoderSpec;
    private volatile long specVersion;
    /** A newer encoding handed over by {@link #update}, taken by the worker thread before its next frame. */
    private final AtomicReference<Update> requested = new AtomicReference<>();

    private record Update(EncoderSpec encoder, long specVersion) {
    }

    public StreamWorker(WorkerSettings settings, WorkerListener listener, LongConsumer encodeNanos) {
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

    private void encode(FrameRingReader reader, PacketRingWriter packets) throws EncoderOpenException {
        EncoderSelector selector = new EncoderSelector(settings.hardware(), settings.hardwareFallback());
        CaptureTimes captureTimes = new CaptureTimes();
        PacketRingSink sink = new PacketRingSink(packets, settings.rendition(), captureTimes, stats);
        FrameView view = new FrameView();
        FrameGeometry geometry = reader.geometry();
        // audio first: its config must be in the sink before the video encoder's first keyframe
        AudioEncoder audioEncoder = openAudio(sink);
        NativeFrameEncoder encoder = null;
        try {
            encoder = openEncoder(selector, geometry, sink);
        } finally {
            if (encoder == null && audioEncoder != null) {
                audioEncoder.close();
            }
        }
        SilentAudioTrack audio = audioEncoder == null ? null : new SilentAudioTrack(audioEncoder, sink.audio());
        listener.started(settings.streamId(), encoder.backend().codecName());
        stats.state(StreamStats.State.ENCODING);

        long heartbeatNs = settings.heartbeatInterval().toNanos();
        long staleMs = settings.producerStaleAfter().toMillis();
        long lastBeatNs = System.nanoTime();
        long lastOutputPtsUs = Long.MIN_VALUE;
        long ptsOffsetUs = 0;
        boolean rebase = false;
        boolean forceKeyframe = false;
        boolean staleReported = false;
        long lostBeforeFirstFrame = -1;
        try {
            while (running) {
                int result = reader.await(view, AWAIT_NS);
                long now = System.nanoTime();
                if (result == FrameRingReader.FRAME) {
                    Update update = requested.getAndSet(null);
                    if (update != null) {
                        NativeFrameEncoder reopened = applyUpdate(update, encoder, selector, geometry, sink);
                        if (reopened != encoder) {
                            encoder = reopened;
                            forceKeyframe = true;
                        }
                    }
                    if (lostBeforeFirstFrame < 0) {
                        // frames that went by while the encoder was opening were never ours to encode
                        lostBeforeFirstFrame = reader.lostFrames();
                    }
                    long frameDurationUs = geometry.frameDurationUs();
                    if (rebase) {
                        // a restarted composition counts from zero again: continue our own timeline instead
                        ptsOffsetUs = lastOutputPtsUs + frameDurationUs - view.ptsUs();
                        rebase = false;
                    }
                    long ptsUs = view.ptsUs() + ptsOffsetUs;
                    if (lastOutputPtsUs != Long.MIN_VALUE && ptsUs <= lastOutputPtsUs) {
                        ptsOffsetUs += lastOutputPtsUs + frameDurationUs - ptsUs;
                        ptsUs = lastOutputPtsUs + frameDurationUs;
                    }
                    long captureEpochUs = view.captureEpochUs();
                    captureTimes.put(ptsUs, captureEpochUs);
                    encoder.submit(view.pixels(), ptsUs, forceKeyframe);
                    // the encoder has copied the picture: was it rewritten under us? (counted as torn)
                    reader.stillValid(view);
                    encoder.drain(sink);
                    if (audio != null) {
                        sink.drivingFrame(captureEpochUs);
                        audio.coverVideoFrame(ptsUs, frameDurationUs);
                    }
                    encodeNanos.accept(System.nanoTime() - now);
                    stats.frameEncoded();
                    lastOutputPtsUs = ptsUs;
                    forceKeyframe = false;
                    if (staleReported) {
                        staleReported = false;
                        LOG.infof("stream %s: frames flowing again", settings.streamId());
                    }
                    lastBeatNs = now;
                } else if (result == FrameRingReader.GENERATION_CHANGED) {
                    FrameGeometry fresh = reader.geometry();
                    LOG.infof("stream %s: composition restarted (generation %d, %s)", settings.streamId(),
                            reader.generation(), fresh);
                    encoder.forgetSlots();
                    if (!fresh.equals(geometry)) {
                        encoder.flush(sink);
                        encoder.close();
                        encoder = null;
                        encoder = openEncoder(selector, fresh, sink);
                        geometry = fresh;
                    }
                    forceKeyframe = true;
                    rebase = lastOutputPtsUs != Long.MIN_VALUE;
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
                if (encoder != null) {
                    encoder.close();
                }
            } finally {
                if (audioEncoder != null) {
                    audioEncoder.close();
                }
            }
        }
    }

    /**
     * Takes a newer encoding between two frames. Returns the encoder to go on with: the same one (nothing to do, or
     * its bitrate changed in place) or a new one, opened after the old one handed out its last packets. If the new
     * settings cannot open, the old ones are opened again, so the stream goes on, and the failure is reported.
     */
    private NativeFrameEncoder applyUpdate(Update update, NativeFrameEncoder encoder, EncoderSelector selector,
                                           FrameGeometry geometry, PacketRingSink sink) throws EncoderOpenException {
        EncoderSpec previous = encoderSpec;
        EncoderChange change = EncoderChange.between(previous, update.encoder());
        encoderSpec = update.encoder();
        specVersion = update.specVersion();
        if (change == EncoderChange.NONE) {
            return encoder;
        }
        int bitrateBps = Math.multiplyExact(update.encoder().withDefaults().bitrateKbps(), 1000);
        if (change == EncoderChange.BITRATE && encoder.changeBitrate(bitrateBps)) {
            LOG.infof("stream %s: bitrate now %d kbit/s (spec version %d, in place)", settings.streamId(),
                    bitrateBps / 1000, update.specVersion());
            return encoder;
        }
        encoder.flush(sink);
        encoder.close();
        try {
            NativeFrameEncoder reopened = openEncoder(selector, geometry, sink);
            LOG.infof("stream %s: encoder reopened for spec version %d (%s)", settings.streamId(),
                    update.specVersion(), change.name().toLowerCase(Locale.ROOT));
            return reopened;
        } catch (EncoderOpenException e) {
            String message = "spec version " + update.specVersion() + ": cannot open the encoder with the new "
                    + "settings, keeping the previous ones: " + e.getMessage();
            LOG.errorf("stream %s: %s", settings.streamId(), message);
            listener.error(settings.streamId(), message);
            encoderSpec = previous;
            return openEncoder(selector, geometry, sink);
        }
    }

    /** The stream's AAC encoder (null when audio is disabled); its config goes before every keyframe. */
    private AudioEncoder openAudio(PacketRingSink sink) throws EncoderOpenException {
        AudioEncoderSettings audio = settings.audio();
        if (audio == null) {
            return null;
        }
        AudioEncoder encoder = AudioEncoder.open(audio);
        sink.audioConfig(CodecConfig.audio(AudioEncoderSettings.CONFIG_CODEC, audio.sampleRate(), audio.channels(),
                audio.bitrateBps(), encoder.extradata()));
        return encoder;
    }

    private NativeFrameEncoder openEncoder(EncoderSelector selector, FrameGeometry geometry, PacketRingSink sink)
            throws EncoderOpenException {
        EncoderSpec spec = encoderSpec.withDefaults();
        VideoEncoderSettings video = new VideoEncoderSettings(geometry.width(), geometry.height(), geometry.fps(),
                Math.multiplyExact(spec.bitrateKbps(), 1000),
                geometry.fps() * Math.max(1, spec.keyframeIntervalSeconds()), spec.preset(), spec.tune(),
                settings.threads());
        NativeFrameEncoder encoder = NativeFrameEncoder.open(
                new FrameEncoderSettings(PixelFormats.toInput(geometry.pixelFormat()), video), selector);
        sink.codecConfig(CodecConfig.video("h264", geometry.width(), geometry.height(), geometry.fps(),
                video.bitrateBps(), encoder.extradata()));
        stats.encoderName(encoder.backend().codecName());
        return encoder;
    }
}
