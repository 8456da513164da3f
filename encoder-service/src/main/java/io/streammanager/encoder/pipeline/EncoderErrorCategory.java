package io.streammanager.encoder.pipeline;

import java.util.Locale;

/** The original encoder error categories, as the {@code category} label of {@code encoder_errors_total}. */
public enum EncoderErrorCategory {
    /** An encoder failed while encoding (an FFmpeg error, a lost hardware session): it is reopened. */
    CRASH,
    /** Out of memory, or an encoder that cannot be (re)opened for want of a resource. */
    RESOURCE_EXHAUSTION,
    /** Frames the encoder never got to: the composition lapped it. */
    FRAME_DROPPING,
    /** The encoder fell behind real time (encode time over the frame interval), or runs on a fallback. */
    QUALITY_DEGRADATION;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
