package io.streammanager.encoder.codec;

import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_FLAG_KEY;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_packet;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_frame;

import io.streammanager.ffmpeg.FfmpegErrors;
import java.lang.foreign.MemorySegment;

import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.global.avutil;

/**
 * The output side shared by the audio and video encoders: one reusable AVPacket, handed to a {@link PacketSink}
 * through one {@link EncodedPacket} flyweight. Codec contexts run in microsecond time bases, so packet pts, dts and
 * duration come out in microseconds. Owned by the encoder that created it; closed with it.
 */
final class EncoderOutput implements AutoCloseable {

    private final String codecName;
    private final long defaultDurationUs;
    private final EncodedPacket view = new EncodedPacket();
    private AVPacket packet = av_packet_alloc();

    /** @param defaultDurationUs used when the encoder leaves a packet's duration unset */
    EncoderOutput(String codecName, long defaultDurationUs) {
        this.codecName = codecName;
        this.defaultDurationUs = defaultDurationUs;
    }

    /** Hands every packet the encoder has ready to {@code sink}; returns how many. */
    int drain(AVCodecContext context, PacketSink sink) {
        return receiveAll(context, sink, false);
    }

    /** Signals end of stream and hands out everything still buffered. */
    int flush(AVCodecContext context, PacketSink sink) {
        int result = avcodec_send_frame(context, null);
        if (result < 0 && result != avutil.AVERROR_EOF()) {
            FfmpegErrors.check(result, codecName + " flush");
        }
        return receiveAll(context, sink, true);
    }

    private int receiveAll(AVCodecContext context, PacketSink sink, boolean untilEof) {
        if (packet == null) {
            throw new IllegalStateException(codecName + " encoder output is closed");
        }
        int count = 0;
        while (true) {
            int result = avcodec_receive_packet(context, packet);
            if (result == avutil.AVERROR_EAGAIN() && !untilEof || result == avutil.AVERROR_EOF()) {
                return count;
            }
            FfmpegErrors.check(result, codecName + " receive packet");
            try {
                long durationUs = packet.duration() > 0 ? packet.duration() : defaultDurationUs;
                MemorySegment data = MemorySegment.ofAddress(packet.data().address()).reinterpret(packet.size());
                view.wrap(data, packet.pts(), packet.dts(), durationUs, (packet.flags() & AV_PKT_FLAG_KEY) != 0);
                sink.accept(view);
                count++;
            } finally {
                av_packet_unref(packet);
            }
        }
    }

    @Override
    public void close() {
        if (packet != null) {
            av_packet_free(packet);
            packet = null;
        }
    }
}
