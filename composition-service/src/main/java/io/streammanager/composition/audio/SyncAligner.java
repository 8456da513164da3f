package io.streammanager.composition.audio;

/**
 * Keeps a source's sound on its picture. Each clock tick that shows a picture of the source, the mixer gives the
 * picture's source time against the head of the source's audio queue ({@code errorUs = pictureUs - headUs}: positive
 * when the sound is behind), how long ago the picture arrived ({@code ageUs}), and whether this tick is the first to
 * show it.
 * <p>
 * The error alone is a staircase even for a source in perfect sync: a picture first shows on the first tick after it
 * arrives, so its error is the offset minus up to a tick, in steps that depend on the source's rate and on which tick
 * each jittered arrival happens to beat (a 30 fps source arriving about when the clock ticks shows some pictures a
 * whole tick late). Averages of it over half a second still wander by 5 ms and more, enough to make a dead band fire
 * back and forth. So the rule works on the source's own timeline: {@code errorUs + ageUs} is where the source is
 * now (its picture's time plus the time since) against the sound's head, which only moves with arrival jitter. What a
 * viewer sees is a picture shown, on average, {@link #lagUs} after it arrives (the mean age of pictures on the tick
 * they first show, over about {@link #LAG_PICTURES} pictures; a property of the two rates and the arrival phase, not
 * of the sound), so the offset to correct is the mean of {@code errorUs + ageUs - lagUs} over the last ticks: zero
 * puts each new picture's sound, on average, at the tick it first shows.
 * <p>
 * That offset is judged on two windows. A step (a reconnect, a loop restart, a lost second of sound) is corrected
 * once the mean of the last {@link #SHORT_TICKS} ticks is past {@link #STEP_US}; anything smaller (a drift) once the
 * mean of the last {@link #LONG_TICKS} ticks is past the dead band of {@link #DEAD_BAND_US}: over ten minutes of a
 * source in sync with 8 ms of arrival jitter, the short mean wanders by about 10 ms and the long one by about 5 ms.
 * Either only when the mean of its oldest quarter agrees with that of the rest within {@link #AGREE_US} (a window
 * still holding a few ticks from before a step would correct it only part way, and take a second cut). A correction
 * is a cut (samples dropped) or a gap (silence inserted); after one, the windows start empty. The first error is
 * corrected at once, and the first full windows after it may correct anything past {@link #SETTLE_US}. An error
 * past {@link #RESYNC_US} (a looped clip starting over, a reconnect) is followed once it has lasted
 * {@link #RESYNC_TICKS} ticks, since picture and sound of a new timeline do not arrive on the same tick and the one
 * that comes first must not make the mixer throw away the other; when both are back within it sooner, the first
 * tick puts the sound on that tick's picture at once (a loop's old sound can outlast its pictures by the encoder's
 * padding and the reopen).
 */
public final class SyncAligner {

    static final long DEAD_BAND_US = 10_000;
    static final long STEP_US = 20_000;
    static final long SETTLE_US = 2_000;
    static final long AGREE_US = 5_000;
    static final long RESYNC_US = 200_000;
    static final int RESYNC_TICKS = 3;
    /** Ticks a step is judged on: two thirds of a second at 30 fps, leaving room to wait for agreement. */
    static final int SHORT_TICKS = 20;
    /** Ticks a small offset is judged on: about two seconds at 30 fps. */
    static final int LONG_TICKS = 64;
    /** Pictures the display lag is averaged over (an exponential mean): about ten seconds, steadier than the offset. */
    static final int LAG_PICTURES = 256;

    private final long[] nowErrorsUs = new long[LONG_TICKS]; // errorUs + ageUs of the newest ticks
    private int count; // ticks since the last correction (the newest LONG_TICKS are kept)
    private boolean aligned;
    private boolean settledShort;
    private boolean settledLong;
    private int jumpedTicks;
    private boolean afterJump; // the last ticks were a jump: the next one in range starts a new timeline
    private double lagUs;
    private int lagPictures;

    /**
     * The correction for this tick, in sample frames at 48 kHz: positive drops that many queued samples (the sound
     * was late), negative inserts that much silence (the sound was early), 0 leaves the sound alone.
     *
     * @param firstShow whether this tick is the first to show the picture, and it was not late for it (the clock did
     *                  not skip ticks before this one): its age then says how long pictures wait to be shown
     */
    public long correction(long errorUs, long ageUs, boolean firstShow) {
        boolean jumped = Math.abs(errorUs) > RESYNC_US;
        jumpedTicks = jumped ? jumpedTicks + 1 : 0;
        if (!aligned || jumpedTicks >= RESYNC_TICKS || !jumped && afterJump) {
            // a new timeline (a start, a reconnect, a loop over with picture and sound both on it): its pictures
            // arrive at a phase of their own against the ticks, so the old display lag says nothing (a 30 fps
            // source's is whatever its phase is); the sound goes to this picture, and the windows settle it
            aligned = true;
            afterJump = false;
            restart();
            lagPictures = 0;
            learnLag(ageUs, firstShow);
            return framesOf(errorUs);
        }
        learnLag(ageUs, firstShow);
        if (jumped) {
            afterJump = true;
            return 0;
        }
        nowErrorsUs[count % LONG_TICKS] = errorUs + ageUs;
        count = count >= 2 * LONG_TICKS ? count + 1 - LONG_TICKS : count + 1; // bounded, same slot order
        long offsetUs = judge(SHORT_TICKS, settledShort ? STEP_US : SETTLE_US);
        settledShort |= count >= SHORT_TICKS;
        if (offsetUs == 0) {
            offsetUs = judge(LONG_TICKS, settledLong ? DEAD_BAND_US : SETTLE_US);
            settledLong |= count >= LONG_TICKS;
        }
        if (offsetUs == 0) {
            return 0;
        }
        count = 0; // every later error is measured after this correction
        return framesOf(offsetUs);
    }

    /** A plain mean of a timeline's first pictures' ages, then an exponential one: one age is one step of many. */
    private void learnLag(long ageUs, boolean firstShow) {
        if (firstShow) {
            lagPictures = Math.min(lagPictures + 1, LAG_PICTURES);
            lagUs += (ageUs - lagUs) / lagPictures;
        }
    }

    /** The offset the newest {@code ticks} ticks say, if past {@code bandUs} and the same all through; else 0. */
    private long judge(int ticks, long bandUs) {
        if (count < ticks) {
            return 0;
        }
        long lag = Math.round(lagUs);
        long offsetUs = mean(0, ticks) - lag;
        if (Math.abs(offsetUs) <= bandUs) {
            return 0;
        }
        if (Math.abs(mean(ticks - ticks / 4, ticks) - mean(0, ticks - ticks / 4)) > AGREE_US) {
            return 0; // the window's oldest ticks are from before a change: wait until they are gone
        }
        return offsetUs;
    }

    /** Forgets the alignment: the next error is corrected at once, and the display lag learnt anew. */
    public void reset() {
        aligned = false;
        afterJump = false;
        restart();
    }

    private void restart() {
        settledShort = false;
        settledLong = false;
        jumpedTicks = 0;
        count = 0;
    }


    /** The mean of the ticks' errors {@code from} (0 = the newest) up to {@code to} back. */
    private long mean(int from, int to) {
        long sum = 0;
        for (int i = from + 1; i <= to; i++) {
            sum += nowErrorsUs[(count - i) % LONG_TICKS];
        }
        return sum / (to - from);
    }

    /** The display lag now (tests show it when they fail). */
    double lagUs() {
        return lagUs;
    }

    static long framesOf(long us) {
        return us * AudioQueue.SAMPLE_RATE / 1_000_000L;
    }
}
