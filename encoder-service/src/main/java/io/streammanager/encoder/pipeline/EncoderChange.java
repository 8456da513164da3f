package io.streammanager.encoder.pipeline;

import java.util.Objects;

import io.streammanager.bus.control.spec.EncoderSpec;

/**
 * How a running encoder takes a new {@link EncoderSpec}: not at all, by changing its bitrate in place, or by being
 * reopened at the next frame (which then is a keyframe, with timestamps continuing). Pure, so the rule has its own
 * table of tests instead of living inside the encode loop.
 */
enum EncoderChange {
    /** Nothing the encoder uses differs. */
    NONE,
    /** Only the bitrate differs: an encoder that can retarget live does so; another one is reopened. */
    BITRATE,
    /** Preset, tune or keyframe interval differ: those are fixed when an encoder opens. */
    REOPEN;

    static EncoderChange between(EncoderSpec running, EncoderSpec wanted) {
        EncoderSpec from = running.withDefaults();
        EncoderSpec to = wanted.withDefaults();
        if (!Objects.equals(from.codec(), to.codec()) || !Objects.equals(from.preset(), to.preset())
                || !Objects.equals(from.tune(), to.tune())
                || from.keyframeIntervalSeconds() != to.keyframeIntervalSeconds()) {
            return REOPEN;
        }
        return from.bitrateKbps() == to.bitrateKbps() ? NONE : BITRATE;
    }
}
