package io.streammanager.encoder.pipeline;

/**
 * The worker's one output timeline: turns the composition's frame pts into output pts that only ever increase, so
 * the muxer's outputs never see time go back. A restarted composition counts from zero again: its first frame is
 * placed one frame after the last one put out, and every later frame keeps that offset. A frame whose pts would not
 * move forward (a producer repeating or going back in time) is pushed one frame past the last. Audio is placed on
 * the same timeline through {@link #offsetUs()}. Pure; one owning thread.
 */
final class OutputTimeline {

    private static final long NONE = Long.MIN_VALUE;

    private long offsetUs;
    private long lastUs = NONE;
    private boolean rebase;

    /** The source restarted: its next frame continues right after the last output frame. */
    void sourceRestarted() {
        rebase = lastUs != NONE;
    }

    /** The output pts of the next frame, whose source pts is {@code sourcePtsUs} and which lasts {@code frameUs}. */
    long next(long sourcePtsUs, long frameUs) {
        if (rebase) {
            offsetUs = lastUs + frameUs - sourcePtsUs;
            rebase = false;
        }
        long outputUs = sourcePtsUs + offsetUs;
        if (lastUs != NONE && outputUs <= lastUs) {
            offsetUs += lastUs + frameUs - outputUs;
            outputUs = lastUs + frameUs;
        }
        lastUs = outputUs;
        return outputUs;
    }

    /** Output pts minus source pts for the frames of now. */
    long offsetUs() {
        return offsetUs;
    }
}
