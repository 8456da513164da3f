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

import io.streammanager.ffmpeg.FfmpegErrors;
import io.streammanager.ffmpeg.FfmpegLog;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacpp.BytePointer;

/**
 * One of FFmpeg's own decoders, opened as a demuxer would open it, for checking what the encoder wrote: packets in,
 * each decoded frame handed to {@link #onFrame}. Owns its context, packet and frame; close it.
 */
abstract class TestDecoder implements AutoCloseable {

    private final String name;
    private final AVCodecContext context;
    private final AVPacket packet = av_packet_alloc();
    private final AVFrame frame = avutil.av_frame_alloc();

    /** @param extradata the codec config to open with (e.g. an AudioSpecificConfig), or null */
    TestDecoder(int codecId, String name, byte[] extradata) {
        this.name = name;
        FfmpegLog.install();
        var codec = avcodec_find_decoder(codecId);
        context = avcodec_alloc_context3(codec);
        if (extradata != null) {
            // FFmpeg frees extradata with the context, so it must come from av_malloc (with the padding it reads past)
            BytePointer copy = new BytePointer(avutil.av_mallocz(extradata.length + avcodec.AV_INPUT_BUFFER_PADDING_SIZE));
            copy.put(extradata);
            context.extradata(copy);
            context.extradata_size(extradata.length);
        }
        FfmpegErrors.check(avcodec_open2(context, codec, (AVDictionary) null), "open " + name + " decoder");
    }

    /** Decodes one packet; throws (FFmpeg's words) if the decoder rejects it. */
    public void decode(byte[] data, long pts) {
        FfmpegErrors.check(av_new_packet(packet, data.length), "av_new_packet");
        packet.data().put(data);
        packet.pts(pts);
        packet.dts(pts);
        try {
            FfmpegErrors.check(avcodec_send_packet(context, packet), "send " + name + " packet");
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
            try {
                onFrame(frame);
            } finally {
                avutil.av_frame_unref(frame);
            }
        }
    }

    /** One decoded frame, valid only during the call. */
    abstract void onFrame(AVFrame frame);

    @Override
    public void close() {
        avutil.av_frame_free(frame);
        av_packet_free(packet);
        avcodec_free_context(context);
    }
}
