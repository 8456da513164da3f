package io.streammanager.encoder.thumbnail;

import java.time.Duration;

import io.streammanager.encoder.config.EncoderConfig;

/** {@code encoder.thumbnails.*}, checked once at startup so a bad value stops the service with its name. */
public record ThumbnailSettings(boolean enabled, Duration interval, int maxWidth, int quality, int keep,
                                Duration ttl) {

    public ThumbnailSettings {
        require(interval.toMillis() >= 100, "encoder.thumbnails.interval", "at least 100ms", interval);
        require(maxWidth >= 16 && maxWidth <= 4096, "encoder.thumbnails.width", "16..4096", maxWidth);
        require(quality >= 1 && quality <= 100, "encoder.thumbnails.quality", "1..100", quality);
        require(keep >= 1 && keep <= 100, "encoder.thumbnails.keep", "1..100", keep);
        require(ttl.compareTo(interval) > 0, "encoder.thumbnails.ttl", "longer than the interval", ttl);
    }

    public static ThumbnailSettings of(EncoderConfig.Thumbnails config) {
        return new ThumbnailSettings(config.enabled(), config.interval(), config.width(), config.quality(),
                config.keep(), config.ttl());
    }

    /** JPEG quality as ImageIO takes it: libjpeg's 1..100 scale divided by 100 (the JDK maps it back the same way). */
    float jpegQuality() {
        return quality / 100f;
    }

    private static void require(boolean ok, String key, String expected, Object value) {
        if (!ok) {
            throw new IllegalArgumentException(key + " must be " + expected + ", was " + value);
        }
    }
}
