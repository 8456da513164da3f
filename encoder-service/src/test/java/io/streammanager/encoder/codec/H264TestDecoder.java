package io.streammanager.encoder.codec;

import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.av_new_packet;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_frame;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_packet;

import java.util.ArrayList;
import java.util.List;

import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacpp.BytePointer;

/** FFmpeg's own H.264 decoder, for checking what the encoder wrote. Annex B packets in, decoded pictures out. */
public final class H264TestDecoder implements AutoCloseable {

    /** What a decoded picture looked like: size and mean luma (0..255). */
    public record Picture(int width, int height, double meanLuma, long pts) {
    }

    private final AVCodecContext context;
    private final AVPacket packet = av_packet_alloc();
    private final AVFrame frame = avutil.av_frame_alloc();
    private final List<Picture> pictures = new ArrayList<>();

    public H264TestDecoder() {
        FfmpegLog.install();
        var codec = avcodec_find_decoder(avcodec.AV_CODEC_ID_H264);
        context = avcodec_alloc_context3(codec);
        FfmpegErrors.check(avcodec_open2(context, codec, (AVDictionary) null), "open h264 decoder");
    }

    /** Decodes one access unit (prefix it with the SPS/PPS from the codec config when starting). */
    public void decode(byte[] accessUnit, long pts) {
        FfmpegErrors.check(av_new_packet(packet, accessUnit.length), "av_new_packet");
        packet.data().put(accessUnit);
        packet.pts(pts);
        packet.dts(pts);
        try {
            FfmpegErrors.check(avcodec_send_packet(context, packet), "send packet");
        } finally {
            av_packet_unref(packet);
        }
        receive();
    }

    public void flush() {
        avcodec_send_packet(context, null);
        receive();
    }

    private void receive() {
        while (avcodec_receive_frame(context, frame) >= 0) {
            int width = frame.width();
            int height = frame.height();
            int stride = frame.linesize(0);
            BytePointer luma = frame.data(0);
            byte[] row = new byte[width];
            long sum = 0;
            for (int y = 0; y < height; y++) {
                luma.position((long) y * stride).get(row);
                for (byte b : row) {
                    sum += b & 0xff;
                }
            }
            luma.position(0);
            pictures.add(new Picture(width, height, (double) sum / ((long) width * height), frame.pts()));
            avutil.av_frame_unref(frame);
        }
    }

    public List<Picture> pictures() {
        return pictures;
    }

    @Override
    public void close() {
        avutil.av_frame_free(frame);
        av_packet_free(packet);
        avcodec_free_context(context);
    }
}
