package io.streammanager.encoder.codec;

import java.util.List;
import java.util.Locale;

/** Value of {@code encoder.hardware}: which encoders to try, in order. */
public enum HardwareMode {
    AUTO(List.of(EncoderBackend.NVENC, EncoderBackend.VAAPI, EncoderBackend.QSV, EncoderBackend.X264)),
    SOFTWARE(List.of(EncoderBackend.X264)),
    NVENC(List.of(EncoderBackend.NVENC)),
    VAAPI(List.of(EncoderBackend.VAAPI)),
    QSV(List.of(EncoderBackend.QSV));

    private final List<EncoderBackend> candidates;

    HardwareMode(List<EncoderBackend> candidates) {
        this.candidates = candidates;
    }

    /** Encoders to try in order; {@code fallback} appends libx264 to an explicit hardware choice. */
    public List<EncoderBackend> candidates(boolean fallback) {
        if (fallback && !candidates.contains(EncoderBackend.X264)) {
            return java.util.stream.Stream.concat(candidates.stream(), java.util.stream.Stream.of(EncoderBackend.X264))
                    .toList();
        }
        return candidates;
    }

    /**
     * A stream's {@code encoder.hwaccel} over the service's {@code encoder.hardware}: null keeps the service's
     * choice, {@code none} means software.
     */
    public static HardwareMode forStream(String hwaccel, HardwareMode serviceDefault) {
        if (hwaccel == null || hwaccel.isBlank()) {
            return serviceDefault;
        }
        return "none".equalsIgnoreCase(hwaccel.trim()) ? SOFTWARE : parse(hwaccel);
    }

    public static HardwareMode parse(String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("encoder.hardware=" + value
                    + " is not one of auto, software, nvenc, vaapi, qsv", e);
        }
    }
}
