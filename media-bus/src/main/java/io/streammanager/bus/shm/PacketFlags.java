package io.streammanager.bus.shm;

/** Bit flags of a packet record. */
public final class PacketFlags {

    public static final int NONE = 0;
    /** The packet starts a GOP: a decoder (with the codec config) can start here. */
    public static final int KEYFRAME = 1;
    /** The payload is a {@link CodecConfig#encode()}d codec configuration, not media. */
    public static final int CODEC_CONFIG = 1 << 1;

    private PacketFlags() {
    }

    public static boolean isKeyframe(int flags) {
        return (flags & KEYFRAME) != 0;
    }

    public static boolean isCodecConfig(int flags) {
        return (flags & CODEC_CONFIG) != 0;
    }
}
