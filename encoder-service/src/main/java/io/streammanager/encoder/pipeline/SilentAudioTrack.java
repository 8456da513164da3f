package io.streammanager.encoder.pipeline;

import org.jboss.logging.Logger;

import io.streammanager.encoder.codec.AudioEncoder;
import io.streammanager.encoder.codec.EncodedPacket;
import io.streammanager.encoder.codec.PacketSink;

/**
 * Keeps a stream's AAC track level with its video: after each video frame, silence is encoded until the track's
 * packets reach the end of that frame. The audio clock is a sample count from the first video pts, so it follows
 * the worker's continuous video timeline across composition restarts. Until the composition mixes real sources
 * into a PCM ring, silence is all there is to encode. Borrows the encoder (the worker owns and closes it); one
 * owning thread; allocates nothing per frame.
 */
final class SilentAudioTrack {

    private static final Logger LOG = Logger.getLogger(SilentAudioTrack.class);
    private static final long NOT_STARTED = Long.MIN_VALUE;
    /** A video jump longer than this (frames lost upstream) is bridged with a gap, not seconds of silence at once. */
    private static final long MAX_CATCH_UP_US = 1_000_000;
    /** Input may run this many frames ahead of the video, enough to cover the encoder's own delay. */
    private static final int MAX_FRAMES_AHEAD = 3;

    private final AudioEncoder encoder;
    private final PacketSink ring;
    private final PacketSink tracking = this::track;
    private final long frameUs;
    private long originUs = NOT_STARTED;
    private long samplesSent;
    private long packetsEndUs = NOT_STARTED;

    SilentAudioTrack(AudioEncoder encoder, PacketSink ring) {
        this.encoder = encoder;
        this.ring = ring;
        this.frameUs = encoder.samplesToUs(encoder.frameSamples());
    }

    /**
     * Encodes silence until the packets written cover {@code videoStartUs + videoDurationUs} (at most one AAC frame
     * beyond it). The first call fixes the audio clock's origin at {@code videoStartUs}.
     */
    void coverVideoFrame(long videoStartUs, long videoDurationUs) {
        if (originUs == NOT_STARTED) {
            originUs = videoStartUs;
        }
        long untilUs = videoStartUs + videoDurationUs;
        long inputEndUs = inputEndUs();
        if (untilUs - inputEndUs > MAX_CATCH_UP_US) {
            long samples = Math.multiplyExact(untilUs - originUs, (long) encoder.settings().sampleRate()) / 1_000_000L;
            LOG.debugf("audio clock jumps %d us to follow the video", untilUs - inputEndUs);
            samplesSent = Math.max(samplesSent, samples - encoder.frameSamples());
        }
        long inputLimitUs = untilUs + MAX_FRAMES_AHEAD * frameUs;
        while ((packetsEndUs == NOT_STARTED || packetsEndUs < untilUs) && inputEndUs() < inputLimitUs) {
            encoder.sendSilence(inputEndUs());
            samplesSent += encoder.frameSamples();
            encoder.drain(tracking);
        }
    }

    private long inputEndUs() {
        return originUs + encoder.samplesToUs(samplesSent);
    }

    private void track(EncodedPacket packet) {
        packetsEndUs = Math.max(packetsEndUs, packet.ptsUs() + packet.durationUs());
        ring.accept(packet);
    }

    /** Microseconds of silence handed to the encoder so far (from the origin, gaps included). */
    long inputUs() {
        return originUs == NOT_STARTED ? 0 : inputEndUs() - originUs;
    }
}
