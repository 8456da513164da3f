package io.streammanager.bus.shm;

/**
 * What every slot of a PCM ring looks like: interleaved signed 16-bit samples ({@code S16}, the only sample format
 * so far, code 1) at {@code sampleRate}, {@code channels} per sample frame, at most {@code maxSamplesPerSlot}
 * sample frames a slot. The composition writes one slot per video frame, so a slot holds one frame interval of
 * sound and shares the video frame's pts.
 */
public record PcmGeometry(int sampleRate, int channels, int maxSamplesPerSlot) {

    /** The {@code sampleFormat} header value of interleaved signed 16-bit little-endian samples. */
    public static final int SAMPLE_FORMAT_S16 = 1;
    public static final int BYTES_PER_SAMPLE = 2;
    public static final int MAX_CHANNELS = 8;
    public static final int MIN_SAMPLE_RATE = 8_000;
    public static final int MAX_SAMPLE_RATE = 192_000;

    public PcmGeometry {
        if (sampleRate < MIN_SAMPLE_RATE || sampleRate > MAX_SAMPLE_RATE) {
            throw new IllegalArgumentException("sample rate out of range: sampleRate=" + sampleRate + " min="
                    + MIN_SAMPLE_RATE + " max=" + MAX_SAMPLE_RATE);
        }
        if (channels < 1 || channels > MAX_CHANNELS) {
            throw new IllegalArgumentException("channels out of range: channels=" + channels + " min=1 max="
                    + MAX_CHANNELS);
        }
        if (maxSamplesPerSlot < 1 || maxSamplesPerSlot > sampleRate) {
            throw new IllegalArgumentException("samples per slot out of range: maxSamplesPerSlot="
                    + maxSamplesPerSlot + " min=1 max=" + sampleRate);
        }
    }

    /** A ring whose slots each hold one video frame interval at {@code fps} (rounded up), 48 kHz stereo by default. */
    public static PcmGeometry forFrameRate(int sampleRate, int channels, int fps) {
        if (fps <= 0) {
            throw new IllegalArgumentException("fps out of range: fps=" + fps + " min=1");
        }
        return new PcmGeometry(sampleRate, channels, (sampleRate + fps - 1) / fps);
    }

    /** Bytes of one sample frame (all channels). */
    public int bytesPerSampleFrame() {
        return channels * BYTES_PER_SAMPLE;
    }

    /** Bytes of a full slot's payload. */
    public int slotPayloadBytes() {
        return maxSamplesPerSlot * bytesPerSampleFrame();
    }

    /** The duration of {@code samples} sample frames, rounded down to whole microseconds. */
    public long durationUs(long samples) {
        return samples * 1_000_000L / sampleRate;
    }
}
