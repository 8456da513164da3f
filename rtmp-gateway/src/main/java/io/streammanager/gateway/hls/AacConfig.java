package io.streammanager.gateway.hls;

/**
 * An AAC AudioSpecificConfig (ISO/IEC 14496-3 1.6.2.1, the body of FLV's AAC sequence header): object type, sample
 * rate and channel count, which the mp4 muxer's audio track needs beside the config itself. Pure code.
 */
record AacConfig(byte[] config, int objectType, int sampleRate, int channels) {

    private static final int[] RATES = {96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025,
            8000, 7350};

    static AacConfig parse(byte[] config) {
        if (config.length < 2) {
            throw new IllegalArgumentException("AudioSpecificConfig of " + config.length + " bytes, need at least 2");
        }
        int objectType = (config[0] & 0xFF) >> 3;
        int rateIndex = (config[0] & 0x07) << 1 | (config[1] & 0xFF) >> 7;
        int rate;
        int channels;
        if (rateIndex == 15) {
            if (config.length < 5) {
                throw new IllegalArgumentException("AudioSpecificConfig with an explicit rate needs 5 bytes, has " + config.length);
            }
            rate = ((config[1] & 0x7F) << 17) | (config[2] & 0xFF) << 9 | (config[3] & 0xFF) << 1 | (config[4] & 0xFF) >> 7;
            channels = (config[4] >> 3) & 0x0F;
        } else if (rateIndex < RATES.length) {
            rate = RATES[rateIndex];
            channels = (config[1] >> 3) & 0x0F;
        } else {
            throw new IllegalArgumentException("AudioSpecificConfig sampling frequency index " + rateIndex + " is reserved");
        }
        if (objectType == 0 || channels == 0) {
            throw new IllegalArgumentException("AudioSpecificConfig object type " + objectType + ", channel configuration "
                    + channels + ": not supported");
        }
        return new AacConfig(config.clone(), objectType, rate, channels);
    }

    /** RFC 6381 for MPEG-4 audio: {@code mp4a.40.<object type>} (2 = AAC-LC). */
    String codec() {
        return "mp4a.40." + objectType;
    }
}
