package io.streammanager.muxer.testing;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_FLAG_GLOBAL_HEADER;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_encoder_by_name;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_packet;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_frame;

import io.streammanager.bus.shm.CodecConfig;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacpp.FloatPointer;

/**
 * Real AAC for tests: a 440 Hz tone encoded by FFmpeg's {@code aac} with a global header (extradata =
 * AudioSpecificConfig), as the encoder service produces its track. Only the payloads are used: the feeder gives
 * them timestamps on its own clock.
 */
public final class SyntheticAac {
    public static final int SAMPLE_RATE = 48_000;
    public static final int CHANNELS = 2;
    public static final int FRAME_SAMPLES = 1024;

    public record Encoded(CodecConfig config, List<byte[]> packets) {
        public static long frameDurationUs() {
            return FRAME_SAMPLES * 1_000_000L / SAMPLE_RATE;
        }
    }

    private SyntheticAac() {
    }

    public static Encoded encode(int frames) {
        AVCodec codec = avcodec_find_encoder_by_name("aac");
        AVCodecContext context = avcodec_alloc_context3(codec);
        AVFrame frame = avutil.av_frame_alloc();
        AVPacket packet = av_packet_alloc();
        try {
            context.sample_fmt(avutil.AV_SAMPLE_FMT_FLTP).sample_rate(SAMPLE_RATE).bit_rate(128_000)
                    .time_base(avutil.av_make_q(1, SAMPLE_RATE));
            avutil.av_channel_layout_default(context.ch_layout(), CHANNELS);
            context.flags(context.flags() | AV_CODEC_FLAG_GLOBAL_HEADER);
            check(avcodec_open2(context, codec, (AVDictionary) null), "open aac");
            byte[] extradata = new byte[context.extradata_size()];
            context.extradata().get(extradata);
            CodecConfig config = CodecConfig.audio("aac", SAMPLE_RATE, CHANNELS, 128_000, extradata);

            frame.nb_samples(FRAME_SAMPLES).format(avutil.AV_SAMPLE_FMT_FLTP).sample_rate(SAMPLE_RATE);
            check(avutil.av_channel_layout_copy(frame.ch_layout(), context.ch_layout()), "layout");
            check(avutil.av_frame_get_buffer(frame, 0), "av_frame_get_buffer");
            float[] tone = new float[FRAME_SAMPLES];
            List<byte[]> packets = new ArrayList<>();
            for (int i = 0; i < frames; i++) {
                check(avutil.av_frame_make_writable(frame), "writable");
                for (int s = 0; s < FRAME_SAMPLES; s++) {
                    tone[s] = (float) (0.2 * Math.sin(2 * Math.PI * 440 * (i * FRAME_SAMPLES + s) / SAMPLE_RATE));
                }
                for (int channel = 0; channel < CHANNELS; channel++) {
                    new FloatPointer(frame.extended_data(channel)).put(tone);
                }
                frame.pts((long) i * FRAME_SAMPLES);
                check(avcodec_send_frame(context, frame), "send");
                drain(context, packet, packets);
            }
            check(avcodec_send_frame(context, null), "flush");
            drain(context, packet, packets);
            return new Encoded(config, List.copyOf(packets));
        } finally {
            av_packet_free(packet);
            avutil.av_frame_free(frame);
            avcodec_free_context(context);
        }
    }

    private static void drain(AVCodecContext context, AVPacket packet, List<byte[]> packets) {
        while (avcodec_receive_packet(context, packet) == 0) {
            byte[] data = new byte[packet.size()];
            packet.data().get(data);
            packets.add(data);
            av_packet_unref(packet);
        }
    }

    private static void check(int result, String step) {
        if (result < 0) {
            throw new IllegalStateException(step + " failed: " + result);
        }
    }
}
