package io.streammanager.encoder.codec;

/**
 * What one AAC encoder is asked to do. Samples reach the encoder as planar float (fltp) with pts in microseconds.
 *
 * @param sampleRate samples per second per channel, e.g. 48000
 * @param channels   1 (mono) .. 8; the layout is FFmpeg's default for that count (2 = stereo)
 * @param bitrateBps target bit rate of the whole track
 */
public record AudioEncoderSettings(int sampleRate, int channels, int bitrateBps) {

    /** FFmpeg's native AAC encoder (LC profile); always compiled in, unlike libfdk_aac. */
    public static final String CODEC_NAME = "aac";
    /** The name the packet ring's codec config carries for this track. */
    public static final String CONFIG_CODEC = "aac";

    public AudioEncoderSettings {
        if (sampleRate < 8_000 || sampleRate > 96_000) {
            throw new IllegalArgumentException("sampleRate=" + sampleRate + " must be in 8000..96000");
        }
        if (channels < 1 || channels > 8) {
            throw new IllegalArgumentException("channels=" + channels + " must be in 1..8");
        }
        if (bitrateBps <= 0) {
            throw new IllegalArgumentException("bitrateBps=" + bitrateBps + " must be positive");
        }
    }

    public static AudioEncoderSettings ofKbps(int sampleRate, int channels, int bitrateKbps) {
        return new AudioEncoderSettings(sampleRate, channels, Math.multiplyExact(bitrateKbps, 1000));
    }
}
