package io.streammanager.composition.stream;

import io.streammanager.bus.shm.FrameRingWriter;
import io.streammanager.composition.audio.AudioMixer;
import io.streammanager.composition.clock.FrameSink;
import java.lang.foreign.MemorySegment;
import org.jboss.logging.Logger;

/**
 * The frame ring and the PCM ring as the clock's sink: the clock thread is both rings' single producer. Right after
 * each video frame it publishes that frame interval's mix into the PCM ring with the same pts and capture time, so
 * the encoder finds exactly one PCM slot per video frame.
 */
final class RingFrameSink implements FrameSink {

    private static final Logger LOG = Logger.getLogger(RingFrameSink.class);

    private final FrameRingWriter writer;
    private final FrameRingWriter pcm;
    private final AudioMixer mixer;
    private long mixFailures;

    RingFrameSink(FrameRingWriter writer, FrameRingWriter pcm, AudioMixer mixer) {
        this.writer = writer;
        this.pcm = pcm;
        this.mixer = mixer;
    }

    @Override
    public MemorySegment claim() {
        return writer.claim();
    }

    @Override
    public long publish(long ptsUs, long captureEpochUs) {
        long sequence = writer.publish(ptsUs, captureEpochUs);
        MemorySegment slot = pcm.claim();
        long frameIndex = frameIndex(ptsUs, writer.geometry().fps());
        int samples;
        try {
            samples = mixer.mix(frameIndex, slot);
        } catch (RuntimeException e) {
            // the slot is still owed: the encoder expects one per video frame; silence stands in
            samples = AudioMixer.samplesInFrame(frameIndex, writer.geometry().fps());
            slot.asSlice(0, (long) samples * pcm.pcm().bytesPerSampleFrame()).fill((byte) 0);
            if (mixFailures++ % 1000 == 0) {
                LOG.errorf(e, "audio mix of frame %d failed (%d failures so far); silence instead", frameIndex,
                        mixFailures);
            }
        }
        pcm.publishSamples(ptsUs, captureEpochUs, samples);
        return sequence;
    }

    /** The index of the frame the clock stamped {@code ptsUs} = floor(i * 10^6 / fps): i = ceil(ptsUs * fps / 10^6). */
    static long frameIndex(long ptsUs, int fps) {
        return Math.ceilDiv(ptsUs * fps, 1_000_000L);
    }

    @Override
    public void heartbeat() {
        writer.heartbeat();
        pcm.heartbeat();
    }
}
