package io.streammanager.encoder.pipeline;

import java.nio.file.Path;
import java.time.Duration;

import org.bytedeco.javacpp.PointerPointer;
import org.jboss.logging.Logger;

import io.streammanager.bus.shm.FrameRingReader;
import io.streammanager.bus.shm.FrameView;
import io.streammanager.bus.shm.PcmGeometry;
import io.streammanager.bus.shm.RingUnavailableException;
import io.streammanager.encoder.codec.AudioEncoderSettings;
import io.streammanager.encoder.codec.PcmResampler;

/**
 * A stream's PCM ring as the audio track reads it: slots in order, in place, never past the video frame being
 * encoded (a slot captured after it waits in the view for a later frame), each converted by swresample straight
 * from the slot to the encoder's planar float. Owns the ring reader and the resampler (rebuilt when a restarted
 * composition brings another sample shape); one owning thread, closed once.
 */
final class PcmInput implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(PcmInput.class);
    /** A PCM ring whose producer has not beaten for this long is not waited for: the track goes on in silence. */
    static final long STALE_AFTER_MS = 500;
    /**
     * A slot is held for a later video frame only this far ahead of the current one (the ring holds a few frames);
     * one further ahead (a clock stepped back under the video) is taken now rather than held for ever.
     */
    static final long MAX_HOLD_US = 2_000_000;

    private final FrameRingReader reader;
    private final AudioEncoderSettings output;
    private final FrameView view = new FrameView();
    private PcmResampler resampler;
    private PcmGeometry geometry;
    /** The view holds a slot polled already but captured after the video frame of the last call. */
    private boolean pending;

    private PcmInput(FrameRingReader reader, AudioEncoderSettings output) {
        this.reader = reader;
        this.output = output;
    }

    /** The PCM ring at {@code file} if it is there and ready now; null if not (an older composition). */
    static PcmInput tryOpen(Path file, AudioEncoderSettings output) {
        FrameRingReader reader;
        try {
            reader = FrameRingReader.open(file, Duration.ZERO);
        } catch (RingUnavailableException e) {
            LOG.debugf("no PCM ring: %s", e.getMessage());
            return null;
        }
        if (reader.pcm() == null) {
            LOG.warnf("%s is not a PCM ring: audio stays generated silence", file);
            reader.close();
            return null;
        }
        PcmInput input = new PcmInput(reader, output);
        try {
            input.bindResampler();
            return input;
        } catch (RuntimeException e) {
            input.close();
            throw e;
        }
    }

    private void bindResampler() {
        PcmGeometry fresh = reader.pcm();
        if (fresh == null) {
            throw new IllegalStateException("PCM ring became a frame ring: file=" + reader.file());
        }
        if (resampler == null || !resampler.reads(fresh.sampleRate(), fresh.channels(), fresh.maxSamplesPerSlot())) {
            PcmResampler opened = PcmResampler.open(fresh.sampleRate(), fresh.channels(), fresh.maxSamplesPerSlot(),
                    output);
            if (resampler != null) {
                resampler.close();
            }
            resampler = opened;
        }
        geometry = fresh;
    }

    /**
     * Fills {@link #slot()} with the next slot captured no later than {@code videoCaptureUs}; waits up to
     * {@code waitNs} for one to be published. False if there is none (yet).
     */
    boolean next(long videoCaptureUs, long waitNs) {
        if (pending) {
            pending = heldFor(videoCaptureUs);
            return !pending;
        }
        long startNs = System.nanoTime();
        while (true) {
            int result = reader.await(view, Math.max(0, waitNs - (System.nanoTime() - startNs)));
            if (result == FrameRingReader.FRAME) {
                pending = heldFor(videoCaptureUs);
                return !pending;
            }
            if (result != FrameRingReader.GENERATION_CHANGED) {
                return false;
            }
            LOG.infof("PCM ring restarted (generation %d, %s)", reader.generation(), reader.pcm());
            bindResampler();
        }
    }

    /** The slot in the view was captured after the video frame: it belongs to a later one. */
    private boolean heldFor(long videoCaptureUs) {
        long aheadUs = view.captureEpochUs() - videoCaptureUs;
        return aheadUs > 0 && aheadUs <= MAX_HOLD_US;
    }

    FrameView slot() {
        return view;
    }

    /**
     * Converts the slot's samples from sample {@code skip} on into the resampler's staging frame; returns how
     * many samples at the encoder's rate it holds ({@link #staged()}). Check {@link #stillValid()} before using them.
     */
    int convert(int skip) {
        int from = Math.min(skip, view.sampleCount());
        long address = view.pixels().address() + (long) from * geometry.bytesPerSampleFrame();
        return resampler.convert(address, view.sampleCount() - from);
    }

    PointerPointer<?> staged() {
        return resampler.staged();
    }

    /** False if the composition rewrote the slot while it was converted (counted as torn). */
    boolean stillValid() {
        return reader.stillValid(view);
    }

    /** The ring's sample rate (slots' sample counts are at this rate). */
    int sampleRate() {
        return geometry.sampleRate();
    }

    /** The composition beat recently: its slots are worth waiting a moment for. */
    boolean fresh() {
        return reader.producerHeartbeatAgeMs() < STALE_AFTER_MS;
    }

    long lostSlots() {
        return reader.lostFrames();
    }

    long tornSlots() {
        return reader.tornFrames();
    }

    @Override
    public void close() {
        try {
            if (resampler != null) {
                resampler.close();
            }
        } finally {
            reader.close();
        }
    }
}
