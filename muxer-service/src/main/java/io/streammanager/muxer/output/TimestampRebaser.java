package io.streammanager.muxer.output;

/**
 * Maps the composition clock's timestamps (µs) onto one connection's timeline: the first packet of a connection is
 * at 0, and dts only ever grows, even when the producer restarts and its clock jumps back (the gap is closed with
 * one packet duration). pts moves with dts, so pts - dts (the reorder delay) is kept.
 */
public final class TimestampRebaser {
    private static final long MIN_STEP_US = 1_000; // FLV carries milliseconds: keep dts strictly increasing there

    private boolean started;
    private long offsetUs;
    private long lastDtsUs;
    private long ptsUs;
    private long dtsUs;

    /** A new connection starts at 0 again. */
    public void reset() {
        started = false;
    }

    public void rebase(long sourcePtsUs, long sourceDtsUs, long durationUs) {
        if (!started) {
            started = true;
            offsetUs = sourceDtsUs;
            lastDtsUs = Long.MIN_VALUE;
        }
        long dts = sourceDtsUs - offsetUs;
        if (lastDtsUs != Long.MIN_VALUE && dts < lastDtsUs + MIN_STEP_US) {
            long wantedDts = lastDtsUs + Math.max(durationUs, MIN_STEP_US);
            offsetUs = sourceDtsUs - wantedDts;
            dts = wantedDts;
        }
        lastDtsUs = dts;
        dtsUs = dts;
        ptsUs = Math.max(sourcePtsUs - offsetUs, dts);
    }

    public long ptsUs() {
        return ptsUs;
    }

    public long dtsUs() {
        return dtsUs;
    }
}
