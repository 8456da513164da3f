package io.streammanager.encoder.pipeline;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

import io.streammanager.bus.control.spec.EncoderSpec;
import io.streammanager.bus.control.spec.StreamSpec;
import io.streammanager.encoder.codec.AudioEncoderSettings;
import io.streammanager.encoder.codec.HardwareMode;
import io.streammanager.encoder.codec.VideoCodec;
import io.streammanager.encoder.config.EncoderConfig;

/**
 * Everything one stream worker needs; the encoding itself ({@code encoder}) is the one it starts with, later spec
 * versions reach the running worker through {@link StreamWorker#update}.
 *
 * @param rendition the label of the stream-level meters (queue, drops, encode time): 0, the main rendition
 * @param audio the AAC track's settings, or null for a video-only stream ({@code encoder.audio.enabled=false})
 */
public record WorkerSettings(String streamId, long specVersion, int rendition, EncoderSpec encoder, Path shmDir,
                             int packetCapacityBytes, Duration openTimeout, Duration producerStaleAfter,
                             Duration heartbeatInterval, HardwareMode hardware, boolean hardwareFallback,
                             int threads, AudioEncoderSettings audio) {

    public WorkerSettings {
        Objects.requireNonNull(streamId, "streamId");
        Objects.requireNonNull(encoder, "encoder");
        Objects.requireNonNull(shmDir, "shmDir");
        if (encoder.codec() != null) {
            VideoCodec.parse(encoder.codec()); // refuses a codec this service cannot encode, naming it
        }
    }

    public static WorkerSettings of(StreamSpec spec, EncoderConfig config) {
        StreamSpec complete = spec.withDefaults();
        return new WorkerSettings(complete.id(), complete.version(), 0, complete.encoder(), config.shmDir(),
                config.ring().packetCapacityBytes(), config.ring().openTimeout(),
                config.ring().producerStaleAfter(), config.ring().heartbeatInterval(),
                HardwareMode.parse(config.hardware()), config.hardwareFallback(), config.threads(),
                audioSettings(config.audio()));
    }

    private static AudioEncoderSettings audioSettings(EncoderConfig.Audio audio) {
        return audio.enabled()
                ? AudioEncoderSettings.ofKbps(audio.sampleRate(), audio.channels(), audio.bitrateKbps())
                : null;
    }
}
