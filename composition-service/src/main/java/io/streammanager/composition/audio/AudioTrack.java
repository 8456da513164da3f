package io.streammanager.composition.audio;

import java.util.Arrays;
import org.jboss.logging.Logger;

/**
 * One source's sound as the mixer sees it: the {@link AudioQueue} its decoder fills, what the scene on screen asked
 * of it this tick (the largest gain of the layers that {@link #hear} it; a source no layer hears is silent), the
 * source time of the picture it showed this tick ({@link #pictureShown}), and the mixer's per-source timing: picture
 * sync ({@link SyncAligner}) while its picture is on screen, a steady small latency ({@link SteadyLatency}) while
 * not. Everything but the queue's writer side runs on the clock thread.
 */
public final class AudioTrack {

    private static final Logger LOG = Logger.getLogger(AudioTrack.class);
    /** Ticks a new timeline's sound waits for its picture: a third of a second at 30 fps (a file's reopen). */
    static final int HOLD_TICKS = 10;

    private final String name;
    private final AudioQueue queue;
    private final SyncAligner sync = new SyncAligner();
    private final SteadyLatency latency = new SteadyLatency();
    private volatile boolean audioLive; // decoder: the input is playing and has a sound stream
    private volatile long underruns;
    private volatile long syncCorrections;
    private volatile double levelDbfs = Double.NEGATIVE_INFINITY;
    private double heardGain = -1; // clock thread: -1 = no layer heard it this tick
    private boolean pictureShown;
    private long pictureUs;
    private long pictureAgeUs;
    private long lastPictureUs = Long.MIN_VALUE;
    private long pendingSilence;
    private boolean skippedBefore; // the clock skipped the ticks before this one
    private long lastHeadUs = Long.MIN_VALUE;
    private boolean holding; // the sound of a new timeline waits for its picture
    private int heldTicks;
    private double gain; // the gain the last tick ended at (ramps go from here)

    public AudioTrack(String name, AudioQueue queue) {
        this.name = name;
        this.queue = queue;
    }

    public String name() {
        return name;
    }

    public AudioQueue queue() {
        return queue;
    }

    /** Decoder thread: whether the source is playing an input with sound now. */
    public void audioLive(boolean live) {
        this.audioLive = live;
    }

    /** Clock thread, while painting: a layer on screen hears this source at {@code gain} (0 when muted). */
    public void hear(double gain) {
        heardGain = Math.max(heardGain, gain);
    }

    /**
     * Clock thread, while painting: the source's picture on screen this tick has source time {@code ptsUs} and was
     * handed over by the decoder at {@code arrivalNs} ({@link System#nanoTime()}).
     */
    public void pictureShown(long ptsUs, long arrivalNs) {
        pictureShown = true;
        pictureUs = ptsUs;
        pictureAgeUs = Math.max(0, (System.nanoTime() - arrivalNs) / 1000);
    }

    /**
     * Mixer: fills {@code target} with this tick's {@code count} sample frames (silence where the source has none)
     * and returns the gain to ramp to, after which the tick's requests are forgotten.
     */
    double fill(short[] target, int count) {
        double heard = heardGain;
        boolean synced = pictureShown;
        heardGain = -1;
        pictureShown = false;
        int filled;
        boolean ranDry;
        if (synced) {
            filled = fillSynced(target, count);
            ranDry = filled < count;
        } else {
            lastPictureUs = Long.MIN_VALUE;
            lastHeadUs = Long.MIN_VALUE;
            holding = false;
            sync.reset();
            long drop = latency.beforeRead(queue.available(), count);
            filled = 0;
            if (drop >= 0) {
                queue.skip(drop);
                filled = queue.read(target, 0, count);
                latency.afterRead(filled, count);
            }
            ranDry = drop >= 0 && filled < count; // refilling the queue is not a new underrun
        }
        Arrays.fill(target, filled * AudioQueue.CHANNELS, count * AudioQueue.CHANNELS, (short) 0);
        if (ranDry && audioLive && heard > 0) {
            underruns++;
        }
        if (!audioLive && queue.available() == 0) {
            latency.reset(); // the next sound fills the queue before it plays
            pendingSilence = 0;
        }
        return Math.max(0, heard);
    }

    /** Reads at the picture's source time; returns the sample frames filled (inserted silence included). */
    private int fillSynced(short[] target, int count) {
        latency.reset();
        boolean newPicture = pictureUs != lastPictureUs;
        // the picture's time went back: a new timeline (a loop over), whatever the sound did
        boolean pictureWentBack = lastPictureUs != Long.MIN_VALUE && pictureUs < lastPictureUs - SyncAligner.RESYNC_US;
        lastPictureUs = pictureUs;
        long headUs = queue.headUs();
        if (pictureWentBack && headUs != Long.MIN_VALUE && Math.abs(pictureUs - headUs) <= SyncAligner.RESYNC_US) {
            sync.reset(); // its sound came on the same tick: align to this picture now, not when a window notices
        }
        if (headUs != Long.MIN_VALUE && pictureUs - headUs < -SyncAligner.RESYNC_US) {
            // the picture started a new timeline (a loop over) behind the old one's queued tail: if the new one's
            // sound is queued already, play it from the picture's time instead of the tail
            long tail = queue.framesBefore(pictureUs);
            if (tail > 0) {
                queue.skip(tail);
                pendingSilence = 0;
                sync.reset();
                headUs = queue.headUs();
                LOG.debugf("source %s: sound skipped %d us to the picture's new timeline", name,
                        tail * 1_000_000 / AudioQueue.SAMPLE_RATE);
            }
        }
        boolean firstShow = newPicture && !skippedBefore; // shown as soon as the clock could
        skippedBefore = false;
        if (headUs != Long.MIN_VALUE && lastHeadUs != Long.MIN_VALUE && headUs < lastHeadUs - SyncAligner.RESYNC_US) {
            heldTicks = 0; // the sound's time went back: a new timeline
            holding = true;
        }
        lastHeadUs = headUs;
        holding &= !pictureWentBack && heldTicks < HOLD_TICKS;
        if (holding) {
            // the sound started a new timeline (a loop over) while the old one's last picture is still shown: it
            // waits for its own first picture, a reopen's time at most, rather than play under the wrong one
            heldTicks++;
            Arrays.fill(target, 0, count * AudioQueue.CHANNELS, (short) 0);
            return count;
        }
        if (headUs != Long.MIN_VALUE) {
            long correction = sync.correction(pictureUs - headUs, pictureAgeUs, firstShow);
            if (correction != 0) {
                syncCorrections++;
                LOG.debugf("source %s: sound %s %d us (picture at %d us, %d us old; sound at %d us)", name,
                        correction > 0 ? "cut" : "delayed", Math.abs(correction) * 1_000_000 / AudioQueue.SAMPLE_RATE,
                        pictureUs, pictureAgeUs, headUs);
            }
            if (correction > 0) {
                queue.skip(correction);
                pendingSilence = 0;
            } else if (correction < 0) {
                pendingSilence += -correction;
            }
        }
        int silence = (int) Math.min(pendingSilence, count);
        pendingSilence -= silence;
        Arrays.fill(target, 0, silence * AudioQueue.CHANNELS, (short) 0);
        if (silence > 0 && audioLive) {
            underruns++;
        }
        // a new timeline's sound waits for its own picture (see above), even mid-tick
        return silence + queue.read(target, silence, Math.min(count - silence, queue.framesOnTimeline()));
    }

    /**
     * Mixer: the clock skipped ticks holding {@code samples} sample frames. For a source played with its
     * picture their sound is never played: owed silence is used up first, then queued sound is dropped; the picture
     * the next tick shows may have waited through the skipped ticks, so its age says nothing about the display lag.
     * A source without a picture keeps its steady latency rule, which trims what piles up.
     */
    void ticksSkipped(long samples) {
        if (lastPictureUs == Long.MIN_VALUE) {
            return;
        }
        skippedBefore = true;
        long fromSilence = Math.min(pendingSilence, samples);
        pendingSilence -= fromSilence;
        queue.skip(samples - fromSilence);
    }

    /** Mixer: the gain the previous tick ended at; {@link #endGain} sets it. */
    double startGain() {
        return gain;
    }

    void endGain(double value) {
        this.gain = value;
    }

    void level(double dbfs) {
        this.levelDbfs = dbfs;
    }

    /** Cuts and gaps the sync rule made to keep the sound on the picture. */
    public long syncCorrections() {
        return syncCorrections;
    }

    /** Ticks where the source owed sound it did not have (silence inserted). */
    public long underruns() {
        return underruns;
    }

    /** The RMS level of the source's last tick before its gain, in dBFS (-infinity for silence). */
    public double levelDbfs() {
        return levelDbfs;
    }

    public long droppedSamples() {
        return queue.droppedFrames();
    }
}
