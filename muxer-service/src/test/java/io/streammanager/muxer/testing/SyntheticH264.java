package io.streammanager.muxer.testing;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_FLAG_GLOBAL_HEADER;
import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_FLAG_KEY;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_encoder_by_name;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_packet;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_frame;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_free;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_set;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_get_buffer;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_make_writable;
import static org.bytedeco.ffmpeg.global.avutil.av_make_q;

import io.streammanager.bus.shm.CodecConfig;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.javacpp.BytePointer;

/**
 * Real H.264 for tests: synthetic frames (a moving gradient) encoded with libx264 through avcodec, with a global
 * header (extradata = SPS/PPS, as the encoder service produces), zerolatency and a GOP of 30.
 */
public final class SyntheticH264 {
    public static final int GOP = 30;

    /** One encoded packet; timestamps in µs on the composition clock (frame i at i * frame duration). */
    public record EncodedPacket(int index, byte[] data, long ptsUs, long dtsUs, long durationUs, boolean keyframe) {
    }

    public record Encoded(CodecConfig config, List<EncodedPacket> packets) {
        public long frameDurationUs() {
            return 1_000_000L / config.fps();
        }
    }

    private SyntheticH264() {
    }

    public static Encoded encode(int width, int height, int fps, int frames) {
        return encode(width, height, fps, frames, "ultrafast");
    }

    /** Same with another x264 preset: same codec and size, another decoder configuration (e.g. CABAC on). */
    public static Encoded encode(int width, int height, int fps, int frames, String preset) {
        return encode("libx264", "h264", width, height, fps, frames, options -> {
            av_dict_set(options, "preset", preset, 0);
            av_dict_set(options, "tune", "zerolatency", 0);
            av_dict_set(options, "x264-params", "scenecut=0", 0);
        });
    }

    /** VP8 (libvpx, realtime) with the same GOP and picture, for WebM recordings. */
    public static Encoded encodeVp8(int width, int height, int fps, int frames) {
        return encode("libvpx", "vp8", width, height, fps, frames, options -> {
            av_dict_set(options, "deadline", "realtime", 0);
            av_dict_set(options, "cpu-used", "8", 0);
        });
    }

    private static Encoded encode(String encoder, String codecName, int width, int height, int fps, int frames,
                                  java.util.function.Consumer<AVDictionary> encoderOptions) {
        AVCodec codec = avcodec_find_encoder_by_name(encoder);
        if (codec == null) {
            throw new IllegalStateException(encoder + " not in this FFmpeg build");
        }
        AVCodecContext context = avcodec_alloc_context3(codec);
        AVFrame frame = av_frame_alloc();
        AVPacket packet = av_packet_alloc();
        AVDictionary options = new AVDictionary(null);
        try {
            context.width(width).height(height).pix_fmt(AV_PIX_FMT_YUV420P)
                    .time_base(av_make_q(1, fps)).framerate(av_make_q(fps, 1))
                    .gop_size(GOP).keyint_min(GOP).max_b_frames(0).bit_rate(500_000);
            context.flags(context.flags() | AV_CODEC_FLAG_GLOBAL_HEADER);
            encoderOptions.accept(options);
            check(avcodec_open2(context, codec, options), "avcodec_open2");
            byte[] extradata = new byte[Math.max(0, context.extradata_size())];
            if (extradata.length > 0) {
                context.extradata().get(extradata);
            }
            CodecConfig config = CodecConfig.video(codecName, width, height, fps, 500_000, extradata);

            frame.format(AV_PIX_FMT_YUV420P).width(width).height(height);
            check(av_frame_get_buffer(frame, 0), "av_frame_get_buffer");
            long frameDurationUs = 1_000_000L / fps;
            List<EncodedPacket> packets = new ArrayList<>();
            byte[] row = new byte[width];
            for (int i = 0; i < frames; i++) {
                check(av_frame_make_writable(frame), "av_frame_make_writable");
                paint(frame, i, width, height, row);
                frame.pts(i);
                check(avcodec_send_frame(context, frame), "avcodec_send_frame");
                drain(context, packet, packets, frameDurationUs);
            }
            check(avcodec_send_frame(context, null), "flush");
            drain(context, packet, packets, frameDurationUs);
            return new Encoded(config, List.copyOf(packets));
        } finally {
            av_dict_free(options);
            av_packet_free(packet);
            av_frame_free(frame);
            avcodec_free_context(context);
        }
    }

    private static void paint(AVFrame frame, int index, int width, int height, byte[] row) {
        BytePointer luma = frame.data(0);
        int stride = frame.linesize(0);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                row[x] = (byte) (x + y + index * 3);
            }
            luma.position((long) y * stride).put(row, 0, width);
        }
        for (int plane = 1; plane <= 2; plane++) {
            BytePointer chroma = frame.data(plane);
            int chromaStride = frame.linesize(plane);
            java.util.Arrays.fill(row, (byte) (plane == 1 ? 90 + index % 64 : 160));
            for (int y = 0; y < height / 2; y++) {
                chroma.position((long) y * chromaStride).put(row, 0, width / 2);
            }
        }
    }

    private static void drain(AVCodecContext context, AVPacket packet, List<EncodedPacket> packets,
                              long frameDurationUs) {
        while (avcodec_receive_packet(context, packet) == 0) {
            byte[] data = new byte[packet.size()];
            packet.data().get(data);
            packets.add(new EncodedPacket(packets.size(), data, packet.pts() * frameDurationUs,
                    packet.dts() * frameDurationUs, frameDurationUs, (packet.flags() & AV_PKT_FLAG_KEY) != 0));
            av_packet_unref(packet);
        }
    }

    private static void check(int result, String step) {
        if (result < 0) {
            throw new IllegalStateException(step + " failed: " + result);
        }
    }
}
