package io.streammanager.encoder.codec;

import static org.bytedeco.ffmpeg.global.avcodec.av_new_packet;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_frame;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_packet;

import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;

/**
 * FFmpeg's own AAC decoder, opened from an AudioSpecificConfig (the codec config's extradata) as a demuxer would, for
 * checking what the encoder wrote: how many samples came out and how loud the loudest one was.
 */
public final class AacTestDecoder implements AutoCloseable {

    private final AVCodecContext context;
    private final AVPacket packet = av_packet_alloc();
    private final AVFrame frame = avutil.av_frame_alloc();
    private long samples;
    private int frames;
    private double peak;
    private int sampleRate;
    private int channels;

    public AacTestDecoder(byte[] audioSpecificConfig) {
        FfmpegLog.install();
        var codec = avcodec_find_decoder(avcodec.AV_CODEC_ID_AAC);
        context = avcodec_alloc_context3(codec);
        // FFmpeg frees extradata with the context, so it must come from av_malloc (with the padding it reads past)
        BytePointer extradata = new BytePointer(avutil.av_mallocz(audioSpecificConfig.length
                + avcodec.AV_INPUT_BUFFER_PADDING_SIZE));
        extradata.put(audioSpecificConfig);
        context.extradata(extradata);
        context.extradata_size(audioSpecificConfig.length);
        FfmpegErrors.check(avcodec_open2(context, codec, (AVDictionary) null), "open aac decoder");
    }

    /** Decodes one AAC frame; throws (FFmpeg's words) if the decoder rejects it. */
    public void decode(byte[] aacFrame, long ptsUs) {
        FfmpegErrors.check(av_new_packet(packet, aacFrame.length), "av_new_packet");
        packet.data().put(aacFrame);
        packet.pts(ptsUs);
        packet.dts(ptsUs);
        try {
            FfmpegErrors.check(avcodec_send_packet(context, packet), "send aac packet");
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
            if (frame.format() != avutil.AV_SAMPLE_FMT_FLTP) {
                throw new IllegalStateException("aac decoder gave sample format " + frame.format());
            }
            frames++;
            samples += frame.nb_samples();
            sampleRate = frame.sample_rate();
            channels = frame.ch_layout().nb_channels();
            float[] plane = new float[frame.nb_samples()];
            for (int channel = 0; channel < channels; channel++) {
                new FloatPointer(frame.extended_data(channel)).get(plane);
                for (float sample : plane) {
                    peak = Math.max(peak, Math.abs(sample));
                }
            }
            avutil.av_frame_unref(frame);
        }
    }

    /** Samples per channel decoded so far. */
    public long samples() {
        return samples;
    }

    public int frames() {
        return frames;
    }

    /** Largest absolute sample value (1.0 = full scale). */
    public double peak() {
        return peak;
    }

    public int sampleRate() {
        return sampleRate;
    }

    public int channels() {
        return channels;
    }

    @Override
    public void close() {
        avutil.av_frame_free(frame);
        av_packet_free(packet);
        avcodec_free_context(context);
    }
}
