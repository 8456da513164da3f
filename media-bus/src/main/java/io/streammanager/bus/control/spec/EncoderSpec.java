package io.streammanager.bus.control.spec;

/** How the stream is encoded. Missing values take the defaults: h264, veryfast, zerolatency, 2500 kbit/s, 2 s. */
public record EncoderSpec(String codec, String preset, String tune, int bitrateKbps, int keyframeIntervalSeconds) {

    public static final EncoderSpec DEFAULT = new EncoderSpec("h264", "veryfast", "zerolatency", 2500, 2);

    public EncoderSpec withDefaults() {
        return new EncoderSpec(
                codec == null ? DEFAULT.codec : codec,
                preset == null ? DEFAULT.preset : preset,
                tune == null ? DEFAULT.tune : tune,
                bitrateKbps == 0 ? DEFAULT.bitrateKbps : bitrateKbps,
                keyframeIntervalSeconds == 0 ? DEFAULT.keyframeIntervalSeconds : keyframeIntervalSeconds);
    }
}
