package io.streammanager.gateway.hls;

import io.netty.buffer.Unpooled;
import io.streammanager.gateway.rtmp.RtmpException;
import io.streammanager.gateway.rtmp.amf0.Amf0EcmaArray;
import io.streammanager.gateway.rtmp.amf0.Amf0Limits;
import io.streammanager.gateway.rtmp.amf0.Amf0Reader;
import java.util.Map;

/**
 * Maps a publisher's timestamps to wall-clock time for {@code EXT-X-PROGRAM-DATE-TIME}. Our muxer announces in
 * onMetaData ({@code sm_capture_epoch_us}) when timestamp 0 was captured, so the date of a segment is its capture
 * time and a player's {@code playingDate} gives glass-to-glass latency; any other publisher (OBS, ffmpeg) gets the
 * arrival time of its first message instead. Pure code.
 */
final class CaptureClock {

    /** The onMetaData key our muxer writes (muxer-service FfmpegMuxer.CAPTURE_EPOCH_KEY). */
    static final String CAPTURE_EPOCH_KEY = "sm_capture_epoch_us";

    private long epochMsAtZero = Long.MIN_VALUE;
    private boolean fromMetadata;

    /** A data message (onMetaData, with or without @setDataFrame): takes the capture epoch when it has one. */
    void metadata(byte[] payload) {
        Long epochUs = captureEpochUs(payload);
        if (epochUs != null) {
            epochMsAtZero = epochUs / 1000;
            fromMetadata = true;
        }
    }

    /** A media message arrived at wall time {@code arrivalEpochMs}: without metadata, the first one fixes the clock. */
    void arrived(long timestampMs, long arrivalEpochMs) {
        if (epochMsAtZero == Long.MIN_VALUE) {
            epochMsAtZero = arrivalEpochMs - timestampMs;
        }
    }

    /** Wall time of {@code timestampMs}; call after {@link #arrived}. */
    long epochMs(long timestampMs) {
        return epochMsAtZero + timestampMs;
    }

    boolean fromMetadata() {
        return fromMetadata;
    }

    static Long captureEpochUs(byte[] payload) {
        try {
            for (Object value : new Amf0Reader(Amf0Limits.DEFAULTS).readAll(Unpooled.wrappedBuffer(payload))) {
                Map<String, Object> entries = value instanceof Amf0EcmaArray array ? array.entries()
                        : value instanceof Map<?, ?> map ? castMap(map) : null;
                if (entries == null) {
                    continue;
                }
                Object epoch = entries.get(CAPTURE_EPOCH_KEY);
                if (epoch instanceof Double number) {
                    return number.longValue();
                }
                if (epoch instanceof String text && text.matches("\\d{1,19}")) {
                    return Long.parseLong(text); // FFmpeg writes format metadata as strings
                }
            }
        } catch (RtmpException | IllegalArgumentException e) {
            return null; // metadata we cannot read only costs the capture time
        }
        return null;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Map<?, ?> map) {
        return (Map<String, Object>) map;
    }
}
