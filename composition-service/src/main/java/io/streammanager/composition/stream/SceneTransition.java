package io.streammanager.composition.stream;

import io.streammanager.bus.control.spec.Transition;

/** A running transition: how far it is (0..1, eased) at a frame's pts. */
record SceneTransition(long startPtsUs, long durationUs, boolean easeInOut) {

    /** The transition a change asked for, starting at {@code startPtsUs}; null for a cut. */
    static SceneTransition of(Transition spec, long startPtsUs) {
        if (spec == null || spec.type() == null || "cut".equals(spec.type()) || spec.durationMs() == null
                || spec.durationMs() <= 0) {
            return null;
        }
        return new SceneTransition(startPtsUs, spec.durationMs() * 1000L, "ease-in-out".equals(spec.easing()));
    }

    double progress(long ptsUs) {
        return ease(Math.min(1.0, Math.max(0.0, (double) (ptsUs - startPtsUs) / durationUs)), easeInOut);
    }

    boolean over(long ptsUs) {
        return ptsUs - startPtsUs >= durationUs;
    }

    /** Linear progress eased: unchanged, or ease-in-out (quadratic in, quadratic out, 0.5 at half time). */
    static double ease(double linear, boolean easeInOut) {
        if (!easeInOut) {
            return linear;
        }
        return linear < 0.5 ? 2 * linear * linear : 1 - Math.pow(-2 * linear + 2, 2) / 2;
    }
}
