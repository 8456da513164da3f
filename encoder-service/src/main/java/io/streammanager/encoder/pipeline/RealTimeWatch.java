package io.streammanager.encoder.pipeline;

/**
 * Tells when an encoder falls behind real time: encode time over the frame interval for a second's worth of frames in
 * a row, or frames lost to the composition lapping it. Each is reported once per episode (the first frame of it), not
 * per frame; an episode ends after a second's worth of frames back within the interval, without losses. Pure.
 */
final class RealTimeWatch {

    /** What a frame started. */
    enum Onset { NONE, BEHIND, DROPPING }

    private final int framesPerSecond;
    private int slowInARow;
    private int fineInARow;
    private boolean behind;
    private boolean dropping;

    RealTimeWatch(int framesPerSecond) {
        this.framesPerSecond = Math.max(1, framesPerSecond);
    }

    /** One encoded frame: how long it took against its interval, and how many frames were lost before it. */
    Onset frame(long encodeNs, long frameIntervalNs, long lostSinceLast) {
        Onset onset = Onset.NONE;
        if (lostSinceLast > 0) {
            fineInARow = 0;
            if (!dropping) {
                dropping = true;
                onset = Onset.DROPPING;
            }
        }
        if (encodeNs > frameIntervalNs) {
            slowInARow++;
            fineInARow = 0;
            if (!behind && slowInARow >= framesPerSecond) {
                behind = true;
                if (onset == Onset.NONE) {
                    onset = Onset.BEHIND;
                }
            }
        } else {
            slowInARow = 0;
            if (lostSinceLast == 0 && ++fineInARow >= framesPerSecond) {
                behind = false;
                dropping = false;
            }
        }
        return onset;
    }

    boolean behind() {
        return behind;
    }

    boolean dropping() {
        return dropping;
    }
}
