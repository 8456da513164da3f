package io.streammanager.encoder.pipeline;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.jboss.logging.Logger;

import io.streammanager.bus.shm.CodecConfig;
import io.streammanager.bus.shm.FrameView;
import io.streammanager.encoder.codec.AudioEncoder;
import io.streammanager.encoder.codec.AudioEncoderSettings;
import io.streammanager.encoder.codec.AudioFifo;
import io.streammanager.encoder.codec.EncodedPacket;
import io.streammanager.encoder.codec.EncoderOpenException;
import io.streammanager.encoder.codec.PacketSink;

/**
 * A stream's AAC track, kept on the worker's output timeline. After each video frame it takes the PCM ring's slots
 * up to that frame (each lands where its video frame did: same pts and capture time), converts them and encodes
 * whole AAC frames. The track's clock is a sample counter from the first video frame; a slot only moves it when it
 * does not follow on (more than {@link #DRIFT_TOLERANCE_US} off): a gap is filled with silence (a jump of more than
 * {@link #MAX_CATCH_UP_US} is left as a gap), an overlap is cut from the slot. Without a PCM ring (an older
 * composition, or none found yet) or with a stale one, the track is silence on the video clock, so outputs always
 * have audio and audio never holds up video. Owns the encoder, its FIFO and the PCM input; one owning thread.
 */
final class AudioTrack implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(AudioTrack.class);
    private static final long NOT_STARTED = Long.MIN_VALUE;
    private static final long MICROS_PER_SECOND = 1_000_000;
    /** A jump longer than this (frames lost upstream) is left as a gap, not filled with seconds of silence at once. */
    static final long MAX_CATCH_UP_US = 1_000_000;
    /** How far the track may trail the video while a live composition's slots are on their way. */
    static final long PCM_LAG_US = 100_000;
    /** Longest wait for the slot of the frame just encoded (the composition publishes it right after the frame). */
    static final long PCM_WAIT_NS = TimeUnit.MILLISECONDS.toNanos(2);
    /** Without PCM, input may run this many AAC frames ahead of the video: enough to cover the encoder's delay. */
    private static final int MAX_FRAMES_AHEAD = 3;
    /** A slot this close to where the track's clock expects it follows on (pts rounding, resampler delay). */
    static final long DRIFT_TOLERANCE_US = 5_000;

    private final AudioEncoder encoder;
    private final AudioFifo fifo;
    private final CodecConfig config;
    private final Output output;
    private final PacketSink tracking = this::track;
    private final Path pcmFile;
    private final AudioStats stats;
    private final VideoPlacements placements = new VideoPlacements();
    private final SampleCaptures captures = new SampleCaptures();
    private final int sampleRate;
    private final int frameSamples;
    private final long toleranceSamples;
    private PcmInput pcm;
    private long originUs = NOT_STARTED;
    /** Samples put into the FIFO, counted from the origin (a jump's gap included). */
    private long queued;
    /** Samples handed to the encoder, counted from the origin. */
    private long sent;
    /** End of the last packet out of the encoder. */
    private long packetsEndUs = NOT_STARTED;

    /** Where the track's packets go, each with the capture time of the samples it came from. */
    @FunctionalInterface
    interface Output {
        void accept(EncodedPacket packet, long captureEpochUs);
    }

    private AudioTrack(AudioEncoder encoder, AudioFifo fifo, PcmInput pcm, Path pcmFile, Output output,
                       AudioStats stats) {
        this.encoder = encoder;
        this.fifo = fifo;
        this.pcm = pcm;
        this.pcmFile = pcmFile;
        this.output = output;
        this.stats = stats;
        AudioEncoderSettings settings = encoder.settings();
        this.sampleRate = settings.sampleRate();
        this.frameSamples = encoder.frameSamples();
        this.toleranceSamples = DRIFT_TOLERANCE_US * sampleRate / MICROS_PER_SECOND;
        this.config = CodecConfig.audio(AudioEncoderSettings.CONFIG_CODEC, settings.sampleRate(),
                settings.channels(), settings.bitrateBps(), encoder.extradata());
    }

    /**
     * Opens the AAC encoder and, if {@code pcmFile} is there (the composition creates it before its frame ring),
     * the PCM ring (null: never look for one).
     */
    static AudioTrack open(AudioEncoderSettings settings, Path pcmFile, Output output, AudioStats stats)
            throws EncoderOpenException {
        AudioEncoder encoder = AudioEncoder.open(settings);
        AudioFifo fifo = null;
        try {
            fifo = AudioFifo.forEncoder(encoder);
            PcmInput pcm = pcmFile == null ? null : PcmInput.tryOpen(pcmFile, settings);
            LOG.infof("audio: %s", pcm != null ? "AAC from the PCM ring " + pcmFile
                    : "generated silence (no PCM ring)");
            return new AudioTrack(encoder, fifo, pcm, pcmFile, output, stats);
        } catch (RuntimeException e) {
            if (fifo != null) {
                fifo.close();
            }
            encoder.close();
            throw e;
        }
    }

    /** The track's codec config (AudioSpecificConfig as extradata), to go before every video keyframe. */
    CodecConfig config() {
        return config;
    }

    /** The composition restarted its frame ring: an older one may have had no PCM ring, this one may. */
    void frameRingRestarted() {
        if (pcm == null && pcmFile != null) {
            pcm = PcmInput.tryOpen(pcmFile, encoder.settings());
            if (pcm != null) {
                LOG.infof("audio: the restarted composition has a PCM ring, AAC from %s", pcmFile);
            }
        }
    }

    /**
     * Brings the track up to the video frame just encoded: source pts {@code sourcePtsUs} and capture time
     * {@code captureUs}, placed at {@code outputPtsUs} on the output timeline for {@code frameUs}.
     */
    void videoFrame(long sourcePtsUs, long captureUs, long outputPtsUs, long frameUs) {
        if (originUs == NOT_STARTED) {
            originUs = outputPtsUs;
        }
        placements.put(captureUs, sourcePtsUs, outputPtsUs);
        boolean fresh = pcm != null && pcm.fresh();
        if (pcm != null) {
            readSlots(captureUs, fresh ? PCM_WAIT_NS : 0);
            stats.slots(pcm.lostSlots(), pcm.tornSlots());
        }
        stats.pcmActive(fresh);
        long untilUs = outputPtsUs + frameUs;
        if (fresh) {
            // slots are on their way: silence only where they are overdue
            cover(samplesAt(untilUs - PCM_LAG_US), captureUs);
            sendFrames();
            return;
        }
        // no PCM: silence until the packets reach the frame's end, the encoder's delay ahead of it at most
        cover(samplesAt(untilUs), captureUs);
        fill(fifo.size() % frameSamples == 0 ? 0 : frameSamples - fifo.size() % frameSamples, captureUs);
        sendFrames();
        long inputLimit = samplesAt(untilUs) + (long) MAX_FRAMES_AHEAD * frameSamples;
        while (packetsEndUs < untilUs && queued < inputLimit) {
            fill(frameSamples, captureUs);
            sendFrames();
        }
    }

    /** Places every slot up to the video frame's, waiting up to {@code waitNs} for that one if it is not in yet. */
    private void readSlots(long videoCaptureUs, long waitNs) {
        boolean ownSlotSeen = false;
        while (pcm.next(videoCaptureUs, ownSlotSeen ? 0 : waitNs)) {
            FrameView slot = pcm.slot();
            ownSlotSeen = slot.captureEpochUs() == videoCaptureUs;
            place(slot);
        }
    }

    /** Puts one slot's samples where its video frame went on the output timeline. */
    private void place(FrameView slot) {
        long at = samplesAt(placements.outputPtsOf(slot.captureEpochUs(), slot.ptsUs()));
        long offBy = at - queued;
        int skip = 0;
        if (offBy > toleranceSamples) {
            fill(offBy, slot.captureEpochUs()); // slots missing (skipped or lapped): silence, no jump in time
        } else if (offBy < -toleranceSamples) {
            // the track already covers the start of this slot (a late slot, or drift): cut that part
            long skipIn = Math.ceilDiv(-offBy * pcm.sampleRate(), sampleRate);
            if (skipIn >= slot.sampleCount()) {
                stats.dropped((long) slot.sampleCount() * sampleRate / pcm.sampleRate());
                return;
            }
            skip = (int) skipIn;
            stats.dropped(-offBy);
        }
        int samples = pcm.convert(skip);
        captures.put(queued, slot.captureEpochUs());
        if (pcm.stillValid()) {
            fifo.write(pcm.staged(), samples);
            stats.pcmSamples(samples);
        } else {
            fifo.writeSilence(samples); // rewritten while we read it: a mix of two slots is worse than silence
            stats.silenceFilled(samples);
        }
        queued += samples;
    }

    /** Silence up to sample {@code target}. */
    private void cover(long target, long captureUs) {
        if (target > queued) {
            fill(target - queued, captureUs);
        }
    }

    private void fill(long samples, long captureUs) {
        if (samples <= 0) {
            return;
        }
        if (samples * MICROS_PER_SECOND / sampleRate > MAX_CATCH_UP_US) {
            jump(queued + samples - frameSamples);
            samples = frameSamples;
        }
        captures.put(queued, captureUs);
        fifo.writeSilence(samples);
        stats.silenceFilled(samples);
        queued += samples;
    }

    /** Leaves a gap in the track up to sample {@code position}: what is queued goes out first, at its own time. */
    private void jump(long position) {
        int partial = fifo.size() % frameSamples;
        if (partial != 0) {
            fifo.writeSilence(frameSamples - partial);
            stats.silenceFilled(frameSamples - partial);
            queued += frameSamples - partial;
        }
        sendFrames();
        LOG.debugf("audio clock jumps %d us to follow the video", (position - queued) * MICROS_PER_SECOND / sampleRate);
        queued = Math.max(queued, position);
        sent = queued;
    }

    private void sendFrames() {
        AVFrame frame;
        while ((frame = fifo.nextFrame()) != null) {
            encoder.send(frame, originUs + encoder.samplesToUs(sent));
            sent += frame.nb_samples();
            encoder.drain(tracking);
        }
    }

    /** Each packet carries the capture time of the input its first sample came from (the encoder shifts pts back). */
    private void track(EncodedPacket packet) {
        packetsEndUs = Math.max(packetsEndUs, packet.ptsUs() + packet.durationUs());
        output.accept(packet, captures.captureAt(samplesAt(packet.ptsUs()) + encoder.primingSamples()));
    }

    /** The sample position of output time {@code us}, rounded to the nearest sample. */
    private long samplesAt(long us) {
        return Math.floorDiv((us - originUs) * sampleRate + MICROS_PER_SECOND / 2, MICROS_PER_SECOND);
    }

    @Override
    public void close() {
        try {
            if (pcm != null) {
                pcm.close();
            }
        } finally {
            try {
                fifo.close();
            } finally {
                encoder.close();
            }
        }
    }
}
