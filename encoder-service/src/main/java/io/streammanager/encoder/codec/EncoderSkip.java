package io.streammanager.encoder.codec;

import java.util.Locale;

/**
 * An encoder the selector tried and passed over for one rendition, and why: {@code reason} is a metric label
 * ({@code not_built}, {@code no_device}, {@code device_unsupported}, {@code refused}), {@code detail} FFmpeg's words.
 */
public record EncoderSkip(EncoderBackend backend, EncoderOpenException.Failure reason, String detail) {

    public String reasonLabel() {
        return reason.name().toLowerCase(Locale.ROOT);
    }
}
