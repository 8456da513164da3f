package io.streammanager.composition.audio;

/**
 * Keeps a source's sound on its picture. Each clock tick the mixer says how far the head of the source's audio queue
 * is from the source time of the picture on screen ({@code errorUs = pictureUs - headUs}: positive when the sound is
 * behind). The picture's time moves in steps (a 25 fps source on a 30 fps clock shows some frames twice, a live
 * source's frames arrive with jitter), so the error is smoothed over about eight ticks and corrected only when the
 * smoothed error passes {@link #TOLERANCE_US}: a correction is a cut (samples dropped) or a gap (silence inserted),
 * and hearing one every tick would be worse than 15 ms of offset. The first error is corrected at once; an error
 * past {@link #RESYNC_US} (a looped clip starting over, a reconnect) once it has lasted {@link #RESYNC_TICKS}
 * ticks, since picture and sound of a new timeline do not arrive on the same tick and the one that comes first
 * must not make the mixer throw away the other.
 */
public final class SyncAligner {

    static final long TOLERANCE_US = 15_000;
    static final long RESYNC_US = 200_000;
    static final int RESYNC_TICKS = 3;
    private static final int SMOOTHING_TICKS = 8;

    private boolean aligned;
    private double smoothedUs;
    private int jumpedTicks;
    /** The two errors before this tick's: a picture late or early for one tick is an outlier of three, not a drift. */
    private long previousUs;
    private long beforePreviousUs;

    /**
     * The correction for this tick, in sample frames at 48 kHz: positive drops that many queued samples (the sound
     * was late), negative inserts that much silence (the sound was early), 0 leaves the sound alone.
     */
    public long correction(long errorUs) {
        boolean jumped = Math.abs(errorUs) > RESYNC_US;
        jumpedTicks = jumped ? jumpedTicks + 1 : 0;
        if (!aligned || jumpedTicks >= RESYNC_TICKS) {
            aligned = true;
            smoothedUs = 0;
            jumpedTicks = 0;
            previousUs = 0;
            beforePreviousUs = 0;
            return framesOf(errorUs);
        }
        if (jumped) {
            return 0;
        }
        long medianUs = median(beforePreviousUs, previousUs, errorUs);
        beforePreviousUs = previousUs;
        previousUs = errorUs;
        smoothedUs += (medianUs - smoothedUs) / SMOOTHING_TICKS;
        if (Math.abs(smoothedUs) <= TOLERANCE_US) {
            return 0;
        }
        long correctionUs = Math.round(smoothedUs);
        smoothedUs = 0; // every later error is measured after this correction
        previousUs = 0;
        beforePreviousUs = 0;
        return framesOf(correctionUs);
    }

    /** Forgets the alignment: the next error is corrected at once. */
    public void reset() {
        aligned = false;
        smoothedUs = 0;
        jumpedTicks = 0;
        previousUs = 0;
        beforePreviousUs = 0;
    }

    private static long median(long a, long b, long c) {
        return Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
    }

    static long framesOf(long us) {
        return us * AudioQueue.SAMPLE_RATE / 1_000_000L;
    }
}
