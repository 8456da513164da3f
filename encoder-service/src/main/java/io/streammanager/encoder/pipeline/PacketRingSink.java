package io.streammanager.encoder.pipeline;

import java.lang.foreign.MemorySegment;

import io.streammanager.bus.shm.CodecConfig;
import io.streammanager.bus.shm.PacketFlags;
import io.streammanager.bus.shm.PacketRingWriter;
import io.streammanager.bus.shm.Track;
import io.streammanager.encoder.codec.EncodedPacket;
import io.streammanager.encoder.codec.PacketSink;

/**
 * Writes encoder output into the packet ring: before every video keyframe the codec configs of all tracks (audio
 * first, then video, so any reader can start there with both), then the packet itself, copied straight from
 * FFmpeg's packet memory. Video packets arrive through {@link #accept}, audio packets through {@link #acceptAudio}.
 * One owning thread.
 */
final class PacketRingSink implements PacketSink {

    private final PacketRingWriter writer;
    private final int rendition;
    private final CaptureTimes captureTimes;
    private final StreamStats stats;
    private final RenditionStats renditionStats;
    private MemorySegment videoConfig = MemorySegment.NULL;
    private MemorySegment audioConfig = MemorySegment.NULL;
    private long packets;
    private long audioPackets;

    PacketRingSink(PacketRingWriter writer, int rendition, CaptureTimes captureTimes, StreamStats stats) {
        this(writer, rendition, captureTimes, stats, null);
    }

    /** @param renditionStats where this rendition's bytes are counted (null: only the stream's total) */
    PacketRingSink(PacketRingWriter writer, int rendition, CaptureTimes captureTimes, StreamStats stats,
                   RenditionStats renditionStats) {
        this.writer = writer;
        this.rendition = rendition;
        this.captureTimes = captureTimes;
        this.stats = stats;
        this.renditionStats = renditionStats;
    }

    /** The video config record to repeat before each keyframe from now on (a new encoder, a new geometry). */
    void codecConfig(CodecConfig config) {
        videoConfig = MemorySegment.ofArray(config.encode());
    }

    /** The audio config record to put in front of the video config before each keyframe. */
    void audioConfig(CodecConfig config) {
        audioConfig = MemorySegment.ofArray(config.encode());
    }

    @Override
    public void accept(EncodedPacket packet) {
        long captureEpochUs = captureTimes.captureOf(packet.ptsUs());
        if (packet.keyframe()) {
            if (videoConfig.byteSize() == 0) {
                throw new IllegalStateException("keyframe before any codec config");
            }
            if (audioConfig.byteSize() != 0) {
                writer.append(Track.AUDIO, rendition, PacketFlags.CODEC_CONFIG, packet.ptsUs(), packet.dtsUs(), 0,
                        captureEpochUs, audioConfig);
            }
            writer.append(Track.VIDEO, rendition, PacketFlags.CODEC_CONFIG, packet.ptsUs(), packet.dtsUs(), 0,
                    captureEpochUs, videoConfig);
        }
        writer.append(Track.VIDEO, rendition, packet.keyframe() ? PacketFlags.KEYFRAME : PacketFlags.NONE,
                packet.ptsUs(), packet.dtsUs(), packet.durationUs(), captureEpochUs, packet.data());
        stats.bytesWritten(packet.data().byteSize());
        if (renditionStats != null) {
            renditionStats.packetWritten(packet.data().byteSize());
        }
        packets++;
    }

    /** An audio packet, carrying the capture time of the samples it came from. */
    void acceptAudio(EncodedPacket packet, long captureEpochUs) {
        // every AAC frame decodes on its own: each is a sync point
        writer.append(Track.AUDIO, rendition, PacketFlags.KEYFRAME, packet.ptsUs(), packet.dtsUs(),
                packet.durationUs(), captureEpochUs, packet.data());
        audioPackets++;
    }

    long packets() {
        return packets;
    }

    long audioPackets() {
        return audioPackets;
    }
}
