package io.streammanager.encoder.pipeline;

import java.util.List;
import java.util.Objects;

import io.streammanager.bus.control.spec.EncoderSpec;
import io.streammanager.bus.control.spec.RenditionSpec;
import io.streammanager.bus.control.spec.VideoSpec;

/**
 * How a running ladder takes a new {@link EncoderSpec}: not at all, by changing bitrates in place, or by being
 * reopened at the next frame (which then is a keyframe in every rendition, with timestamps continuing). Added or
 * removed renditions, or a new size, codec or frame rate of one, reopen the whole ladder: that keeps every
 * rendition's IDRs on the same frames. Pure, so the rule has its own table of tests instead of living inside the
 * encode loop.
 */
enum EncoderChange {
    /** Nothing the encoders use differs. */
    NONE,
    /** Only bitrates differ: an encoder that can retarget live does so; otherwise the ladder is reopened. */
    BITRATE,
    /** Anything else: preset, tune, keyframe interval, hardware, the renditions' shape. */
    REOPEN;

    /** A nominal canvas: both sides resolve against the same one, which is all a comparison needs. */
    private static final VideoSpec NOMINAL = new VideoSpec(1920, 1080, 30);

    static EncoderChange between(EncoderSpec running, EncoderSpec wanted) {
        return between(running, wanted, NOMINAL);
    }

    static EncoderChange between(EncoderSpec running, EncoderSpec wanted, VideoSpec canvas) {
        EncoderSpec from = running.withDefaults();
        EncoderSpec to = wanted.withDefaults();
        if (!Objects.equals(from.codec(), to.codec()) || !Objects.equals(from.preset(), to.preset())
                || !Objects.equals(from.tune(), to.tune())
                || from.keyframeIntervalSeconds() != to.keyframeIntervalSeconds()
                || !Objects.equals(from.hwaccel(), to.hwaccel())) {
            return REOPEN;
        }
        List<RenditionSpec> before = from.renditionsFor(canvas);
        List<RenditionSpec> after = to.renditionsFor(canvas);
        if (before.size() != after.size()) {
            return REOPEN;
        }
        boolean bitrate = false;
        for (int i = 0; i < before.size(); i++) {
            RenditionSpec a = before.get(i);
            RenditionSpec b = after.get(i);
            if (!a.id().equals(b.id()) || a.width() != b.width() || a.height() != b.height()
                    || a.fpsOrZero() != b.fpsOrZero() || !Objects.equals(a.codec(), b.codec())
                    || !Objects.equals(a.profile(), b.profile())) {
                return REOPEN;
            }
            bitrate |= a.bitrateKbps() != b.bitrateKbps();
        }
        return bitrate ? BITRATE : NONE;
    }
}
