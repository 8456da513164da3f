package io.streammanager.encoder.codec;

import java.util.ArrayList;
import java.util.List;

import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.javacpp.BytePointer;

/**
 * FFmpeg's own H.264 decoder, for checking what the encoder wrote: Annex B access units in (prefix the first with
 * the SPS/PPS from the codec config), decoded pictures out.
 */
public final class H264TestDecoder extends TestDecoder {

    /** What a decoded picture looked like: size and mean luma (0..255). */
    public record Picture(int width, int height, double meanLuma, long pts) {
    }

    private final List<Picture> pictures = new ArrayList<>();

    public H264TestDecoder() {
        super(avcodec.AV_CODEC_ID_H264, "h264", null);
    }

    /** Another of FFmpeg's video decoders (VP8, VP9, HEVC), with the same picture checks. */
    public H264TestDecoder(int codecId, String name) {
        super(codecId, name, null);
    }

    @Override
    void onFrame(AVFrame frame) {
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
    }

    public List<Picture> pictures() {
        return pictures;
    }
}
