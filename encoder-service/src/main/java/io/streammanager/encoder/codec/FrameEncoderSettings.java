package io.streammanager.encoder.codec;

import java.util.Objects;

/** Input layout of the frame slots plus the encoder to feed them to. */
public record FrameEncoderSettings(InputFormat input, VideoEncoderSettings encoder) {

    public FrameEncoderSettings {
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(encoder, "encoder");
    }
}
