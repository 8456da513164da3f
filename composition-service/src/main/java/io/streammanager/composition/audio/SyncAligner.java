package io.streammanager.composition.audio;

/**
 * Keeps a source's sound on its picture. Each clock tick the mixer says how far the head of the source's audio queue
 * is from the source time of the picture on screen ({@code errorUs = pictureUs - headUs}: positive when the sound is
 * behind). The picture's time moves in steps (a 25 fps source on a 30 fps clock shows some frames twice, a live
 * source's frames arrive with jitter), so the error is smoothed over about eight ticks and corrected only when the
 * smoothed error passes {@link #TOLERANCE_US}: a correction is a cut (samples dropped) or a gap (silence inserted),
 * and hearing one every tick would be worse than 15 ms of offset. An error past {@link #RESYNC_US} (the first
 * sound, a looped clip starting over, a reconnect) is corrected at once.
 */
public final class SyncAligner {

    static final long TOLERANCE_US = 15_000;
    static final long RESYNC_US = 200_000;
    private static final int SMOOTHING_TICKS = 8;

    private boolean aligned;
    private double smoothedUs;

    /**
     * The correction for this tick, in sample frames at 48 kHz: positive drops that many queued samples (the sound
     * was late), negative inserts that much silence (the sound was early), 0 leaves the sound alone.
     */
    public long correction(long errorUs) {
        if (!aligned || Math.abs(errorUs) > RESYNC_US) {
            aligned = true;
            smoothedUs = 0;
            return framesOf(errorUs);
        }
        smoothedUs += (errorUs - smoothedUs) / SMOOTHING_TICKS;
        if (Math.abs(smoothedUs) <= TOLERANCE_US) {
            return 0;
        }
        long correctionUs = Math.round(smoothedUs);
        smoothedUs = 0; // every later error is measured after this correction
        return framesOf(correctionUs);
    }

    /** Forgets the alignment: the next error is corrected at once. */
    public void reset() {
        aligned = false;
        smoothedUs = 0;
    }

    static long framesOf(long us) {
        return us * AudioQueue.SAMPLE_RATE / 1_000_000L;
    }
}
