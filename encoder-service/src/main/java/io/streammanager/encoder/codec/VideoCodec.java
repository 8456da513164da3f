package io.streammanager.encoder.codec;

import java.util.Locale;

/**
 * The video codecs a rendition can use, by the name the spec and the packet ring's codec config use. H.264 and HEVC
 * carry their parameter sets as a global header (extradata); VP8 and VP9 have none, their keyframes describe
 * themselves.
 */
public enum VideoCodec {
    H264("h264", true),
    HEVC("hevc", true),
    VP8("vp8", false),
    VP9("vp9", false);

    private final String configName;
    private final boolean globalHeader;

    VideoCodec(String configName, boolean globalHeader) {
        this.configName = configName;
        this.globalHeader = globalHeader;
    }

    /** The name in specs and in {@code CodecConfig.codec()}. */
    public String configName() {
        return configName;
    }

    /** Whether an opened encoder must have written extradata (SPS/PPS, VPS). */
    public boolean globalHeader() {
        return globalHeader;
    }

    public static VideoCodec parse(String name) {
        for (VideoCodec codec : values()) {
            if (codec.configName.equalsIgnoreCase(name)) {
                return codec;
            }
        }
        throw new IllegalArgumentException("encoder.codec=" + name + " is not one of h264, hevc, vp8, vp9");
    }

    @Override
    public String toString() {
        return configName.toLowerCase(Locale.ROOT);
    }
}
