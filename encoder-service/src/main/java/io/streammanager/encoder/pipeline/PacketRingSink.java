package io.streammanager.encoder.pipeline;

import java.lang.foreign.MemorySegment;

import io.streammanager.bus.shm.CodecConfig;
import io.streammanager.bus.shm.PacketFlags;
import io.streammanager.bus.shm.PacketRingWriter;
import io.streammanager.bus.shm.Track;
import io.streammanager.encoder.codec.EncodedPacket;
import io.streammanager.encoder.codec.PacketSink;

/**
 * Writes encoder output into the packet ring: a CODEC_CONFIG record before every keyframe (so any reader can start
 * there), then the packet itself, copied straight from FFmpeg's packet memory. One owning thread.
 */
final class PacketRingSink implements PacketSink {

    private final PacketRingWriter writer;
    private final int rendition;
    private final CaptureTimes captureTimes;
    private final StreamStats stats;
    private MemorySegment codecConfig = MemorySegment.NULL;
    private long packets;

    PacketRingSink(PacketRingWriter writer, int rendition, CaptureTimes captureTimes, StreamStats stats) {
        this.writer = writer;
        this.rendition = rendition;
        this.captureTimes = captureTimes;
        this.stats = stats;
    }

    /** The config record to repeat before each keyframe from now on (a new encoder, a new geometry). */
    void codecConfig(CodecConfig config) {
        codecConfig = MemorySegment.ofArray(config.encode());
    }

    @Override
    public void accept(EncodedPacket packet) {
        long captureEpochUs = captureTimes.captureOf(packet.ptsUs());
        if (packet.keyframe()) {
            if (codecConfig.byteSize() == 0) {
                throw new IllegalStateException("keyframe before any codec config");
            }
            writer.append(Track.VIDEO, rendition, PacketFlags.CODEC_CONFIG, packet.ptsUs(), packet.dtsUs(), 0,
                    captureEpochUs, codecConfig);
        }
        writer.append(Track.VIDEO, rendition, packet.keyframe() ? PacketFlags.KEYFRAME : PacketFlags.NONE,
                packet.ptsUs(), packet.dtsUs(), packet.durationUs(), captureEpochUs, packet.data());
        stats.bytesWritten(packet.data().byteSize());
        packets++;
    }

    long packets() {
        return packets;
    }
}
