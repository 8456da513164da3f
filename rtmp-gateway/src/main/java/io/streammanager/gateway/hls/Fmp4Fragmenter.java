package io.streammanager.gateway.hls;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_AAC;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_H264;
import static org.bytedeco.ffmpeg.global.avcodec.AV_INPUT_BUFFER_PADDING_SIZE;
import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_FLAG_KEY;
import static org.bytedeco.ffmpeg.global.avcodec.av_new_packet;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avformat.av_write_frame;
import static org.bytedeco.ffmpeg.global.avformat.av_write_trailer;
import static org.bytedeco.ffmpeg.global.avformat.avformat_alloc_output_context2;
import static org.bytedeco.ffmpeg.global.avformat.avformat_free_context;
import static org.bytedeco.ffmpeg.global.avformat.avformat_new_stream;
import static org.bytedeco.ffmpeg.global.avformat.avformat_write_header;
import static org.bytedeco.ffmpeg.global.avformat.avio_alloc_context;
import static org.bytedeco.ffmpeg.global.avformat.avio_context_free;
import static org.bytedeco.ffmpeg.global.avformat.avio_flush;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_AUDIO;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.av_channel_layout_default;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_free;
import static org.bytedeco.ffmpeg.global.avutil.av_free;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_set;
import static org.bytedeco.ffmpeg.global.avutil.av_make_q;
import static org.bytedeco.ffmpeg.global.avutil.av_malloc;
import static org.bytedeco.ffmpeg.global.avutil.av_rescale_q;

import io.streammanager.ffmpeg.FfmpegErrors;
import java.io.ByteArrayOutputStream;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.javacpp.BytePointer;

/**
 * FFmpeg's mp4 muxer in fragmented CMAF mode ({@code movflags frag_custom+empty_moov+default_base_moof+cmaf}),
 * writing into memory through a custom AVIOContext: {@link #open} returns the init segment (ftyp+moov), packets are
 * buffered by the muxer, and each {@link #flushFragment()} ({@code av_write_frame(ctx, NULL)}) returns one
 * moof+mdat fragment holding everything written since the last one: one LL-HLS part. No MP4 box is written here.
 *
 * <p>Owned by one {@link HlsPackager}, which calls it from one task at a time; {@link #close()} frees every native
 * allocation. Timestamps come in milliseconds (FLV's clock) and are rescaled to each track's time base.
 */
final class Fmp4Fragmenter implements AutoCloseable {

    /**
     * {@code frag_discont} with {@code use_editlist=0}: each track's fragments carry the packets' own decode times
     * (tfdt) instead of each track being shifted to start at zero, which would misalign audio and video that start
     * at different times (a publisher's audio rarely starts on its first keyframe).
     */
    static final String MOVFLAGS = "frag_custom+empty_moov+default_base_moof+cmaf+frag_discont";
    /** libavformat's AVFMT_FLAG_CUSTOM_IO (avformat.h), which the JavaCPP presets do not export: the pb is ours. */
    private static final int AVFMT_FLAG_CUSTOM_IO = 0x0080;
    private static final int IO_BUFFER_SIZE = 64 * 1024;
    private static final AVRational MILLIS = av_make_q(1, 1000);

    static final int VIDEO = 0;
    static final int AUDIO = 1;

    private final AVFormatContext context;
    private final BytePointer opaque;
    private AVIOContext io;
    private final AVPacket packet;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream(256 * 1024);
    private final byte[] init;
    private final boolean audio;
    private final int sampleRate;
    private boolean closed;
    /** The next AAC frame's dts in the audio track's time base, or -1 before the first. */
    private long audioNextDts = -1;

    private Fmp4Fragmenter(TrackConfig tracks) {
        audio = tracks.hasAudio();
        sampleRate = audio ? tracks.audio().sampleRate() : 1;
        opaque = new BytePointer(1);
        context = new AVFormatContext(null);
        packet = av_packet_alloc();
        boolean opened = false;
        try {
            check(avformat_alloc_output_context2(context, null, "mp4", null), "allocate the mp4 muxer");
            addVideo(tracks.video());
            if (audio) {
                addAudio(tracks.audio());
            }
            AvioOutputs.register(opaque, bytes -> pending.writeBytes(bytes));
            BytePointer buffer = new BytePointer(av_malloc(IO_BUFFER_SIZE)).capacity(IO_BUFFER_SIZE);
            io = avio_alloc_context(buffer, IO_BUFFER_SIZE, 1, opaque, null, AvioOutputs.WRITE, null);
            if (io == null || io.isNull()) {
                throw new IllegalStateException("hls: cannot allocate the AVIOContext");
            }
            context.pb(io);
            context.flags(context.flags() | AVFMT_FLAG_CUSTOM_IO);
            AVDictionary options = new AVDictionary(null);
            try {
                av_dict_set(options, "movflags", MOVFLAGS, 0);
                av_dict_set(options, "use_editlist", "0", 0);
                check(avformat_write_header(context, options), "write the mp4 header (movflags " + MOVFLAGS + ")");
            } finally {
                av_dict_free(options);
            }
            avio_flush(io);
            init = drain();
            opened = true;
        } finally {
            if (!opened) {
                close();
            }
        }
    }

    /** Opens a muxer for these tracks; the init segment is {@link #init()}. */
    static Fmp4Fragmenter open(TrackConfig tracks) {
        return new Fmp4Fragmenter(tracks);
    }

    private void addVideo(AvcConfig avc) {
        AVStream stream = avformat_new_stream(context, null);
        AVCodecParameters parameters = stream.codecpar();
        parameters.codec_type(AVMEDIA_TYPE_VIDEO);
        parameters.codec_id(AV_CODEC_ID_H264);
        parameters.width(avc.width());
        parameters.height(avc.height());
        extradata(parameters, avc.record());
        stream.time_base(MILLIS);
    }

    private void addAudio(AacConfig aac) {
        AVStream stream = avformat_new_stream(context, null);
        AVCodecParameters parameters = stream.codecpar();
        parameters.codec_type(AVMEDIA_TYPE_AUDIO);
        parameters.codec_id(AV_CODEC_ID_AAC);
        parameters.sample_rate(aac.sampleRate());
        av_channel_layout_default(parameters.ch_layout(), aac.channels());
        parameters.frame_size(1024);
        extradata(parameters, aac.config());
        stream.time_base(MILLIS);
    }

    /** The muxer frees extradata with av_free, so it is allocated with av_malloc (and FFmpeg's zeroed padding). */
    private static void extradata(AVCodecParameters parameters, byte[] bytes) {
        int size = bytes.length + AV_INPUT_BUFFER_PADDING_SIZE;
        BytePointer data = new BytePointer(av_malloc(size)).capacity(size);
        data.put(bytes);
        for (int i = bytes.length; i < size; i++) {
            data.put(i, (byte) 0);
        }
        parameters.extradata(data);
        parameters.extradata_size(bytes.length);
    }

    byte[] init() {
        return init;
    }

    boolean hasAudio() {
        return audio;
    }

    /**
     * Hands one access unit to the muxer (buffered until the next {@link #flushFragment()}). {@code durationMs} must be
     * the time to the track's next sample: the muxer writes it as the last sample's duration of a fragment.
     */
    void write(int track, long dtsMs, long ptsMs, long durationMs, boolean keyframe, byte[] data, int offset, int length) {
        if (track == AUDIO && !audio) {
            return;
        }
        check(av_new_packet(packet, length), "allocate a packet of " + length + " bytes");
        try {
            packet.data().position(0).put(data, offset, length);
            AVRational timeBase = context.streams(track).time_base();
            packet.stream_index(track);
            long dts = av_rescale_q(dtsMs, MILLIS, timeBase);
            long duration = av_rescale_q(Math.max(1, durationMs), MILLIS, timeBase);
            if (track == AUDIO) {
                // FLV's millisecond timestamps round an AAC frame (1024 samples) to 21 or 22 ms; the samples stay on
                // their own grid while within 2 ms of it, so every sample lasts exactly 1024
                long frame = av_rescale_q(1024, av_make_q(1, sampleRate), timeBase);
                long slack = av_rescale_q(2, MILLIS, timeBase);
                if (audioNextDts >= 0 && Math.abs(dts - audioNextDts) <= slack) {
                    dts = audioNextDts;
                }
                duration = frame;
                audioNextDts = dts + frame;
            }
            packet.dts(dts);
            packet.pts(track == AUDIO ? dts : av_rescale_q(ptsMs, MILLIS, timeBase));
            packet.duration(duration);
            packet.flags(keyframe ? AV_PKT_FLAG_KEY : 0);
            check(av_write_frame(context, packet), "write a " + (track == VIDEO ? "video" : "audio") + " packet at dts "
                    + dtsMs + " ms");
        } finally {
            av_packet_unref(packet);
        }
    }

    /** Ends the current fragment and returns its bytes (moof+mdat), or an empty array when nothing was written. */
    byte[] flushFragment() {
        check(av_write_frame(context, null), "flush a fragment");
        avio_flush(io);
        return drain();
    }

    private byte[] drain() {
        byte[] bytes = pending.toByteArray();
        pending.reset();
        return bytes;
    }

    private static void check(int result, String what) {
        FfmpegErrors.check(result, "hls: cannot " + what);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (io != null && init != null) {
                av_write_trailer(context); // frees the muxer's per-track state; its bytes are not served
            }
        } finally {
            AvioOutputs.unregister(opaque);
            if (io != null) {
                // the muxer may have reallocated the buffer: free the one the context holds now
                BytePointer buffer = io.buffer();
                if (buffer != null && !buffer.isNull()) {
                    av_free(buffer);
                }
                avio_context_free(io);
                io = null;
            }
            context.pb(null);
            avformat_free_context(context);
            av_packet_free(packet);
            opaque.close();
        }
    }
}
