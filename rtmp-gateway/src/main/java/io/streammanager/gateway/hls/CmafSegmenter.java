package io.streammanager.gateway.hls;

import java.util.Arrays;

/**
 * Turns one publisher's FLV audio and video tag bodies (H.264 and AAC, as the relay receives them) into CMAF parts
 * and segments: the AVC sequence header becomes the muxer's extradata, the AAC AudioSpecificConfig the audio track's,
 * and the muxer opens at the first keyframe. A part ends at a frame once it reaches the part target, and at every
 * keyframe; a segment ends at the first keyframe once it reaches the segment target, so every segment starts with
 * a keyframe (aligned to the publisher's GOPs). One video frame is held back until the next one arrives, because the
 * muxer needs a fragment's last sample duration. Called from one task at a time (its {@link HlsPackager}).
 */
final class CmafSegmenter implements AutoCloseable {

    /** Where init segments and parts go, in order. */
    interface Output {
        /** A new init segment (the first, or after the publisher changed its codec configuration). */
        void init(byte[] init, TrackConfig tracks);

        /**
         * One part: {@code startMs} is the FLV timestamp (dts) of its first video frame; {@code independent} when it
         * starts with a keyframe; {@code startsSegment} when it is the first part of a new segment.
         */
        void part(byte[] bytes, long startMs, long durationMs, int frames, boolean independent, boolean startsSegment);
    }

    private static final int CODEC_AVC = 7;
    private static final int SOUND_AAC = 10;

    private final long segmentTargetMs;
    private final long partTargetMs;
    private final Output output;
    private AvcConfig avc;
    private AacConfig aac;
    private Fmp4Fragmenter fragmenter;
    private long segmentStartMs;
    private long partStartMs;
    private boolean partIndependent;
    private boolean partStartsSegment;
    private Frame held;
    /** Video frames written into the part being built. */
    private int partFrames;
    private long unsupported;
    /** Frames were lost before us (the packager's queue overflowed): skip to the next keyframe, which starts a segment. */
    private boolean gap;
    private long lastDeltaMs = 33;

    private record Frame(long dtsMs, long ptsMs, boolean keyframe, byte[] body) {
    }

    CmafSegmenter(long segmentTargetMs, long partTargetMs, Output output) {
        this.segmentTargetMs = segmentTargetMs;
        this.partTargetMs = partTargetMs;
        this.output = output;
    }

    /** One FLV video tag body. Returns false when it is not H.264 (Enhanced RTMP codecs get no HLS). */
    boolean video(long timestampMs, byte[] body) {
        if (body.length < 5 || (body[0] & 0x80) != 0 || (body[0] & 0x0F) != CODEC_AVC) {
            unsupported++;
            return false;
        }
        int packetType = body[1];
        if (packetType == 0) {
            AvcConfig next = AvcConfig.parse(Arrays.copyOfRange(body, 5, body.length));
            if (avc != null && !Arrays.equals(avc.record(), next.record())) {
                reopen(); // a new SPS/PPS: a new init segment, starting at the next keyframe
            }
            avc = next;
            return true;
        }
        if (packetType != 1) {
            return true; // end of sequence
        }
        boolean keyframe = (body[0] & 0xF0) >> 4 == 1;
        int cts = (body[2] << 16 | (body[3] & 0xFF) << 8 | body[4] & 0xFF); // SI24: the sign comes from body[2]
        if (fragmenter == null) {
            if (!keyframe || avc == null) {
                return true; // a segment starts at a keyframe
            }
            fragmenter = Fmp4Fragmenter.open(new TrackConfig(avc, aac));
            output.init(fragmenter.init(), new TrackConfig(avc, aac));
            segmentStartMs = partStartMs = timestampMs;
            partIndependent = partStartsSegment = true;
            held = new Frame(timestampMs, timestampMs + cts, true, body);
            return true;
        }
        if (gap) {
            if (!keyframe) {
                return true;
            }
            gap = false;
            writeHeld(lastDeltaMs); // the frame before the gap keeps its usual duration; the timeline jumps after it
            endPart(held.dtsMs() + lastDeltaMs);
            partStartMs = segmentStartMs = timestampMs;
            partIndependent = partStartsSegment = true;
            held = new Frame(timestampMs, timestampMs + cts, true, body);
            return true;
        }
        long delta = Math.max(1, timestampMs - held.dtsMs());
        lastDeltaMs = delta;
        writeHeld(delta);
        boolean newSegment = keyframe && timestampMs - segmentStartMs + delta / 2 >= segmentTargetMs;
        if (newSegment || keyframe || timestampMs - partStartMs + delta / 2 >= partTargetMs) {
            endPart(timestampMs);
            partIndependent = keyframe;
            partStartsSegment = newSegment;
            if (newSegment) {
                segmentStartMs = timestampMs;
            }
        }
        held = new Frame(timestampMs, timestampMs + cts, keyframe, body);
        return true;
    }

    /** One FLV audio tag body; AAC only (others are counted and left out). */
    void audio(long timestampMs, byte[] body) {
        if (body.length < 2 || (body[0] & 0xF0) >> 4 != SOUND_AAC) {
            unsupported++;
            return;
        }
        if (body[1] == 0) {
            AacConfig next = AacConfig.parse(Arrays.copyOfRange(body, 2, body.length));
            if (aac != null && fragmenter != null && !Arrays.equals(aac.config(), next.config())) {
                reopen();
            }
            aac = next;
            return;
        }
        if (fragmenter != null && fragmenter.hasAudio()) {
            fragmenter.write(Fmp4Fragmenter.AUDIO, timestampMs, timestampMs, 0, true, body, 2, body.length - 2);
        }
    }

    /** Messages were lost before they reached us: video resumes at the next keyframe, in a new segment. */
    void gap() {
        if (fragmenter != null && held != null) {
            gap = true;
        }
    }

    /** Tags left out because their codec has no HLS here (Enhanced RTMP video, non-AAC audio). */
    long unsupported() {
        return unsupported;
    }

    private void writeHeld(long durationMs) {
        Frame frame = held;
        partFrames++;
        fragmenter.write(Fmp4Fragmenter.VIDEO, frame.dtsMs(), frame.ptsMs(), durationMs, frame.keyframe(), frame.body(),
                5, frame.body().length - 5);
    }

    private void endPart(long endMs) {
        byte[] bytes = fragmenter.flushFragment();
        if (bytes.length > 0) {
            output.part(bytes, partStartMs, endMs - partStartMs, partFrames, partIndependent, partStartsSegment);
        }
        partFrames = 0;
        partStartMs = endMs;
    }

    /** Drops the muxer (the frame held is lost with it); the next keyframe opens a new one with the new config. */
    private void reopen() {
        close();
        held = null;
        partFrames = 0;
    }

    @Override
    public void close() {
        if (fragmenter != null) {
            fragmenter.close();
            fragmenter = null;
        }
    }
}
