package io.streammanager.encoder.pipeline;

/**
 * What one stream's AAC track reports: where its samples came from and what it had to make up. Written by the
 * worker thread only (so plain increments of volatiles are safe), read by metrics.
 */
public final class AudioStats {

    private volatile boolean pcmActive;
    private volatile long pcmSamples;
    private volatile long silenceFilledSamples;
    private volatile long droppedSamples;
    private volatile long lostSlots;
    private volatile long tornSlots;

    void pcmActive(boolean active) {
        pcmActive = active;
    }

    void pcmSamples(long samples) {
        pcmSamples += samples;
    }

    void silenceFilled(long samples) {
        silenceFilledSamples += samples;
    }

    void dropped(long samples) {
        droppedSamples += samples;
    }

    void slots(long lost, long torn) {
        lostSlots = lost;
        tornSlots = torn;
    }

    /** 1 while the track is fed from a live PCM ring, 0 while it is generated silence. */
    public double pcmActive() {
        return pcmActive ? 1 : 0;
    }

    /** Samples (per channel, at the track's rate) taken from the PCM ring. */
    public long pcmSamples() {
        return pcmSamples;
    }

    /**
     * Samples of silence put in the track where no PCM was: no ring or a stale one, slots missing (skipped by the
     * composition or lapped), torn slots.
     */
    public long silenceFilledSamples() {
        return silenceFilledSamples;
    }

    /** PCM samples thrown away because the track had already covered their time (late slots, clock drift). */
    public long droppedSamples() {
        return droppedSamples;
    }

    /** PCM slots the encoder never read: the composition lapped it. */
    public long lostSlots() {
        return lostSlots;
    }

    /** PCM slots rewritten while being read: replaced by silence. */
    public long tornSlots() {
        return tornSlots;
    }
}
