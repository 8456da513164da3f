package io.streammanager.encoder.codec;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.jboss.logging.Logger;

/**
 * Hardware detection: tries the encoders a {@link HardwareMode} allows, in order, and keeps the first that opens.
 * An encoder that cannot open is logged once per JVM at INFO with FFmpeg's reason, then skipped.
 */
public final class EncoderSelector {

    private static final Logger LOG = Logger.getLogger(EncoderSelector.class);
    private static final Set<EncoderBackend> REPORTED_UNAVAILABLE = ConcurrentHashMap.newKeySet();

    private final HardwareMode mode;
    private final boolean fallback;
    private List<EncoderSkip> lastSkips = List.of();

    public EncoderSelector(HardwareMode mode, boolean fallback) {
        this.mode = mode;
        this.fallback = fallback;
    }

    /** Opens the first encoder that works, or throws naming every encoder tried and why it failed. */
    public VideoEncoder open(VideoEncoderSettings settings) throws EncoderOpenException {
        List<String> failures = new ArrayList<>();
        List<EncoderSkip> skips = new ArrayList<>();
        lastSkips = skips;
        EncoderOpenException last = null;
        // only H.264 has hardware choices here; every other codec has exactly its software encoder
        List<EncoderBackend> candidates = settings.codec() == VideoCodec.H264 ? mode.candidates(fallback)
                : List.of(EncoderBackend.software(settings.codec()));
        for (EncoderBackend backend : candidates) {
            try {
                VideoEncoder encoder = VideoEncoder.open(backend, settings);
                LOG.infof("encoder %s chosen for %dx%d@%d (encoder.hardware=%s, %d skipped)", backend.codecName(),
                        settings.width(), settings.height(), settings.fps(),
                        mode.name().toLowerCase(java.util.Locale.ROOT), failures.size());
                return encoder;
            } catch (EncoderOpenException e) {
                last = e;
                failures.add(e.getMessage());
                skips.add(new EncoderSkip(backend, e.failure(), e.reason()));
                if (REPORTED_UNAVAILABLE.add(backend)) {
                    LOG.infof("encoder %s unavailable, skipping: %s", backend.codecName(), e.reason());
                }
            }
        }
        throw new EncoderOpenException(last == null ? EncoderBackend.X264 : last.backend(),
                "no usable encoder for encoder.hardware=" + mode.name().toLowerCase(java.util.Locale.ROOT)
                        + " (encoder.hardware-fallback=" + fallback + "): " + String.join(" | ", failures));
    }

    /** The encoders the last {@link #open} tried and passed over, in order (one owning thread). */
    public List<EncoderSkip> lastSkips() {
        return List.copyOf(lastSkips);
    }

    public HardwareMode mode() {
        return mode;
    }
}
