package io.streammanager.encoder.codec;

import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;

import io.streammanager.ffmpeg.FfmpegErrors;
import io.streammanager.ffmpeg.FfmpegLog;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avutil.AVDictionary;

/** What opening any of our encoders shares: FFmpeg's reason for a refusal, and the global header. */
final class CodecContexts {

    private CodecContexts() {
    }

    /** Opens {@code context}; returns null on success, else the error and whatever FFmpeg logged while refusing. */
    static String openOrExplain(AVCodecContext context, AVCodec codec) {
        FfmpegLog.beginCapture();
        int result;
        String ffmpegSays;
        try {
            result = avcodec_open2(context, codec, (AVDictionary) null);
        } finally {
            ffmpegSays = FfmpegLog.endCapture();
        }
        if (result >= 0) {
            return null;
        }
        return FfmpegErrors.describe(result) + (ffmpegSays.isEmpty() ? "" : ": " + ffmpegSays);
    }

    /** A copy of the codec's global header (AV_CODEC_FLAG_GLOBAL_HEADER), empty if it wrote none. */
    static byte[] extradata(AVCodecContext context) {
        int size = context.extradata_size();
        byte[] extradata = new byte[Math.max(0, size)];
        if (size > 0) {
            context.extradata().get(extradata);
        }
        return extradata;
    }
}
