package io.streammanager.muxer.output;

import io.streammanager.bus.shm.Track;

/**
 * Maps the composition clock's timestamps (µs) onto one connection's timeline: the first packet of a connection (a
 * video keyframe) is at 0, and dts only ever grows, even when the producer restarts and its clock jumps back (the gap
 * is closed with one packet duration). pts moves with dts, so pts - dts (the reorder delay) is kept.
 *
 * <p>Both tracks share one offset, so they stay in sync; the video track leads it (a jump back on video moves the
 * offset). An audio packet that would land before the connection's start, or not after the audio already written
 * (the overlap when a restarted producer begins again), is refused: {@link #rebase} returns false.
 */
public final class TimestampRebaser {
    private static final long MIN_STEP_US = 1_000; // FLV carries milliseconds: keep dts strictly increasing there

    private boolean started;
    private long offsetUs;
    private long lastVideoDtsUs;
    private long lastAudioDtsUs;
    private long ptsUs;
    private long dtsUs;

    /** A new connection starts at 0 again. */
    public void reset() {
        started = false;
    }

    /** A video packet; see {@link #rebase(Track, long, long, long)}. */
    public void rebase(long sourcePtsUs, long sourceDtsUs, long durationUs) {
        rebase(Track.VIDEO, sourcePtsUs, sourceDtsUs, durationUs);
    }

    /**
     * Rebases one packet; {@link #ptsUs()} and {@link #dtsUs()} hold the result.
     *
     * @return false if the packet must not be written (audio before the start or overlapping written audio)
     */
    public boolean rebase(Track track, long sourcePtsUs, long sourceDtsUs, long durationUs) {
        if (!started) {
            if (track != Track.VIDEO) {
                return false; // a connection starts at a video keyframe
            }
            started = true;
            offsetUs = sourceDtsUs;
            lastVideoDtsUs = Long.MIN_VALUE;
            lastAudioDtsUs = Long.MIN_VALUE;
        }
        long dts = sourceDtsUs - offsetUs;
        if (track == Track.VIDEO) {
            if (lastVideoDtsUs != Long.MIN_VALUE && dts < lastVideoDtsUs + MIN_STEP_US) {
                long wantedDts = lastVideoDtsUs + Math.max(durationUs, MIN_STEP_US);
                offsetUs = sourceDtsUs - wantedDts;
                dts = wantedDts;
            }
            lastVideoDtsUs = dts;
        } else {
            if (dts < 0 || lastAudioDtsUs != Long.MIN_VALUE && dts < lastAudioDtsUs + MIN_STEP_US) {
                return false;
            }
            lastAudioDtsUs = dts;
        }
        dtsUs = dts;
        ptsUs = Math.max(sourcePtsUs - offsetUs, dts);
        return true;
    }

    public long ptsUs() {
        return ptsUs;
    }

    public long dtsUs() {
        return dtsUs;
    }
}
