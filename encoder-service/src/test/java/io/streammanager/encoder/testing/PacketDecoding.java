package io.streammanager.encoder.testing;

import java.io.ByteArrayOutputStream;
import java.lang.foreign.MemorySegment;
import java.util.List;

import io.streammanager.bus.shm.CodecConfig;
import io.streammanager.encoder.codec.H264TestDecoder;

/**
 * Decodes the video track of what a packet ring held: each CODEC_CONFIG's extradata goes in front of the keyframe
 * that follows. Other tracks are skipped.
 */
public final class PacketDecoding {

    private PacketDecoding() {
    }

    public static List<H264TestDecoder.Picture> decode(List<PacketCollector.Record> records) {
        return decode(records, 0, new H264TestDecoder());
    }

    /** Decodes rendition {@code rendition}'s video with {@code decoder} (closed here). */
    public static List<H264TestDecoder.Picture> decode(List<PacketCollector.Record> records, int rendition,
                                                       H264TestDecoder decoder) {
        try (decoder) {
            byte[] pendingConfig = null;
            for (PacketCollector.Record record : records) {
                if (!record.video() || record.rendition() != rendition) {
                    continue;
                }
                if (record.codecConfig()) {
                    pendingConfig = CodecConfig.decode(MemorySegment.ofArray(record.payload())).extradata();
                    continue;
                }
                byte[] data = record.payload();
                if (pendingConfig != null) {
                    ByteArrayOutputStream joined = new ByteArrayOutputStream();
                    joined.writeBytes(pendingConfig);
                    joined.writeBytes(data);
                    data = joined.toByteArray();
                    pendingConfig = null;
                }
                decoder.decode(data, record.ptsUs());
            }
            decoder.flush();
            return List.copyOf(decoder.pictures());
        }
    }
}
