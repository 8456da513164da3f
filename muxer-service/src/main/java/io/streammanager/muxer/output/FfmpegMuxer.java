package io.streammanager.muxer.output;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_AAC;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_VP9;
import static org.bytedeco.ffmpeg.global.avcodec.AV_INPUT_BUFFER_PADDING_SIZE;
import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_DATA_NEW_EXTRADATA;
import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_FLAG_KEY;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free_side_data;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_new_side_data;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avformat.AVFMT_NOFILE;
import static org.bytedeco.ffmpeg.global.avformat.AVIO_FLAG_WRITE;
import static org.bytedeco.ffmpeg.global.avformat.av_write_frame;
import static org.bytedeco.ffmpeg.global.avformat.av_write_trailer;
import static org.bytedeco.ffmpeg.global.avformat.avformat_alloc_output_context2;
import static org.bytedeco.ffmpeg.global.avformat.avformat_free_context;
import static org.bytedeco.ffmpeg.global.avformat.avformat_network_init;
import static org.bytedeco.ffmpeg.global.avformat.avformat_new_stream;
import static org.bytedeco.ffmpeg.global.avformat.avformat_write_header;
import static org.bytedeco.ffmpeg.global.avformat.avio_closep;
import static org.bytedeco.ffmpeg.global.avformat.avio_flush;
import static org.bytedeco.ffmpeg.global.avformat.avio_open2;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_AUDIO;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.av_channel_layout_default;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_get;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_free;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_set;
import static org.bytedeco.ffmpeg.global.avutil.av_make_q;
import static org.bytedeco.ffmpeg.global.avutil.av_malloc;
import static org.bytedeco.ffmpeg.global.avutil.av_rescale_q;

import io.streammanager.bus.shm.CodecConfig;
import io.streammanager.bus.shm.Track;
import io.streammanager.ffmpeg.FfmpegErrors;
import io.streammanager.ffmpeg.FfmpegLog;
import io.streammanager.ffmpeg.UrlMasking;
import io.streammanager.muxer.delivery.RtmpSocket;
import io.streammanager.muxer.delivery.TcpDelivery;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOContext;
import org.bytedeco.ffmpeg.avformat.AVIOInterruptCB;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.Pointer;

/**
 * One FFmpeg output (FLV over RTMP/RTMPS, or an FLV file) carrying a video stream (H.264, or HEVC and VP9 as Enhanced
 * RTMP) and, when the packet ring
 * has one, an AAC audio stream. Owned and used by one thread; open with {@link #open}, then {@link #write} packets
 * in ring order (non-interleaved {@code av_write_frame}, flushed at once: the encoder already interleaves the tracks
 * on one clock, so waiting to interleave would only add latency), {@link #finish()} for the trailer, and
 * {@link #close()}. The header's metadata carries {@code sm_capture_epoch_us}, the capture time of timestamp 0, so
 * a player can measure end-to-end latency.
 *
 * <p>Every blocking FFmpeg call runs under a deadline enforced by the AVIO interrupt callback (plus
 * {@code rw_timeout}), so a dead peer cannot hang the owning thread; the caller's abort flag cuts any call short.
 */
public final class FfmpegMuxer implements PacketSink {
    /** FLV onMetaData key: capture time (µs since the epoch) of timestamp 0 on this connection. */
    public static final String CAPTURE_EPOCH_KEY = "sm_capture_epoch_us";
    private static final int AAC_FRAME_SAMPLES = 1024;
    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(FfmpegMuxer.class);
    /** FFmpeg calls one shared callback; the opaque pointer's address finds the muxer it is asking about. */
    private static final ConcurrentHashMap<Long, FfmpegMuxer> BY_INTERRUPT_TOKEN = new ConcurrentHashMap<>();
    private static final AVIOInterruptCB.Callback_Pointer INTERRUPT_CALLBACK;

    static {
        FfmpegLog.install();
        // the network protocols (rtmps' TLS among them) want their libraries set up once per process
        avformat_network_init();
        INTERRUPT_CALLBACK = new InterruptCallback();
    }

    private final MuxerSettings settings;
    private final BooleanSupplier abort;
    private final LongPointer interruptToken = new LongPointer(1);
    private final AVRational microseconds = av_make_q(1, 1_000_000);
    private AVFormatContext context;
    private AVStream stream;
    private AVRational streamTimeBase;
    private AVStream audioStream;
    private AVRational audioTimeBase;
    private AVPacket packet;
    private boolean headerWritten;
    private boolean closed;
    /** The RTMP connection's TCP socket (owned by FFmpeg; read only while open), or -1 if out of reach. */
    private int socketFd = -1;
    /** A new video decoder configuration to send with the next video packet. */
    private byte[] pendingVideoExtradata;
    private volatile long ioDeadlineNs = Long.MAX_VALUE;

    private FfmpegMuxer(MuxerSettings settings, BooleanSupplier abort) {
        this.settings = settings;
        this.abort = abort;
    }

    /** Opens the connection (or file) and writes the header; on failure everything is released. */
    public static FfmpegMuxer open(MuxerSettings settings, BooleanSupplier abort) throws SinkException {
        FfmpegMuxer muxer = new FfmpegMuxer(settings, abort);
        try {
            muxer.openContext();
            return muxer;
        } catch (SinkException | RuntimeException e) {
            muxer.close();
            throw e;
        }
    }

    /** The factory the outputs use: every target is muxed as {@code target.format()} with these timeouts. */
    public static PacketSink.Factory factory(java.time.Duration connectTimeout, java.time.Duration ioTimeout) {
        return (target, start, abortFlag) -> open(
                new MuxerSettings(target.url(), target.format(), start, connectTimeout, ioTimeout), abortFlag);
    }

    private void openContext() throws SinkException {
        CodecConfig config = settings.codecConfig();
        int codecId = VideoCodecIds.forFormat(settings.format(), config.codec());
        if (codecId == VideoCodecIds.UNSUPPORTED) {
            throw new SinkException(ErrorCategory.FORMAT_CONVERSION, "codec=" + config.codec()
                    + " cannot be carried in format=" + settings.format());
        }
        BY_INTERRUPT_TOKEN.put(interruptToken.address(), this);

        context = new AVFormatContext(null);
        check(avformat_alloc_output_context2(context, null, settings.format(), settings.url()),
                "allocate output context format=" + settings.format(), ErrorCategory.FORMAT_CONVERSION);
        context.interrupt_callback().callback(INTERRUPT_CALLBACK).opaque(interruptToken);

        stream = avformat_new_stream(context, null);
        if (stream == null) {
            throw new SinkException(ErrorCategory.RESOURCE_LIMITATION, "avformat_new_stream failed");
        }
        stream.time_base(av_make_q(1, 1000));
        if (config.fps() > 0) {
            stream.avg_frame_rate(av_make_q(config.fps(), 1));
        }
        AVCodecParameters parameters = stream.codecpar();
        parameters.codec_type(AVMEDIA_TYPE_VIDEO);
        parameters.codec_id(codecId);
        parameters.format(AV_PIX_FMT_YUV420P);
        if (codecId == AV_CODEC_ID_VP9) {
            parameters.profile(0); // 8-bit 4:2:0, what the encoder writes; the flv muxer's vpcC record needs it
        }
        parameters.width(config.width());
        parameters.height(config.height());
        if (config.bitrateBps() > 0) {
            parameters.bit_rate(config.bitrateBps());
        }
        setExtradata(parameters, config.extradata());
        CodecConfig audio = settings.audioConfig();
        if (audio != null) {
            audioStream = addAudioStream(audio);
        }
        setCaptureEpochMetadata();

        if ((context.oformat().flags() & AVFMT_NOFILE) == 0) {
            AVIOContext io = new AVIOContext(null);
            AVDictionary ioOptions = new AVDictionary(null);
            av_dict_set(ioOptions, "rw_timeout", Long.toString(settings.ioTimeout().toNanos() / 1_000), 0);
            if (settings.rtmp()) {
                // Nagle would hold back small writes (every AAC frame is a few hundred bytes) for the peer's ACK
                av_dict_set(ioOptions, "tcp_nodelay", "1", 0);
            }
            armDeadline(settings.connectTimeout());
            try {
                long openStartNs = System.nanoTime();
                int opened = avio_open2(io, settings.url(), AVIO_FLAG_WRITE, context.interrupt_callback(), ioOptions);
                if (opened < 0) {
                    boolean cutShort = System.nanoTime() - ioDeadlineNs > 0 || abort.getAsBoolean()
                            || System.nanoTime() - openStartNs >= settings.ioTimeout().toNanos();
                    throw failure(opened, "open", ErrorCategory.of(settings.rtmp()
                            ? FfmpegErrors.kindOfRtmpOpen(opened, cutShort)
                            : FfmpegErrors.kind(opened), ErrorCategory.OUTPUT_CONNECTION));
                }
                if (settings.rtmp() && av_dict_get(ioOptions, "tcp_nodelay", null, 0) != null) {
                    // FFmpeg's rtmp protocol hands its options to tcp (and tls): left over means another chain
                    LOG.debugf("%s: tcp_nodelay not taken by the protocol", UrlMasking.mask(settings.url()));
                }
            } finally {
                av_dict_free(ioOptions);
            }
            context.pb(io);
            if (settings.url().startsWith("rtmp://")) {
                socketFd = RtmpSocket.fd(io, settings.port());
                if (socketFd < 0) {
                    LOG.debugf("%s: TCP socket not found, LIVE falls back to the publish answer and write progress",
                            UrlMasking.mask(settings.url()));
                }
            }
        }

        AVDictionary headerOptions = new AVDictionary(null);
        av_dict_set(headerOptions, "flush_packets", "1", 0);
        if (settings.network()) {
            av_dict_set(headerOptions, "flvflags", "no_duration_filesize", 0);
        }
        if ("mp4".equals(settings.format())) {
            // fragmented: an empty moov first, then a moof+mdat per GOP (cut at 1 s at the latest), each written and
            // flushed whole, so a file whose writer is killed plays up to its last complete fragment
            av_dict_set(headerOptions, "movflags", "frag_keyframe+empty_moov+default_base_moof", 0);
            av_dict_set(headerOptions, "frag_duration", "1000000", 0);
        } else if ("webm".equals(settings.format())) {
            // clusters of at most 1 s, no seeking back: a killed writer leaves a file that plays to its last cluster
            av_dict_set(headerOptions, "live", "1", 0);
            av_dict_set(headerOptions, "cluster_time_limit", "1000", 0);
        }
        armDeadline(settings.connectTimeout());
        try {
            check(avformat_write_header(context, headerOptions), "write header", ErrorCategory.FORMAT_CONVERSION);
        } finally {
            av_dict_free(headerOptions);
        }
        headerWritten = true;
        streamTimeBase = stream.time_base();
        if (audioStream != null) {
            audioTimeBase = audioStream.time_base();
        }
        packet = av_packet_alloc();
        if (packet == null) {
            throw new SinkException(ErrorCategory.RESOURCE_LIMITATION, "av_packet_alloc failed");
        }
    }

    private AVStream addAudioStream(CodecConfig audio) throws SinkException {
        if (!"aac".equalsIgnoreCase(audio.codec())) {
            throw new SinkException(ErrorCategory.FORMAT_CONVERSION, "unsupported audio codec=" + audio.codec());
        }
        if (audio.sampleRate() <= 0 || audio.channels() <= 0) {
            throw new SinkException(ErrorCategory.FORMAT_CONVERSION, "audio config without sound parameters: sampleRate="
                    + audio.sampleRate() + " channels=" + audio.channels());
        }
        AVStream added = avformat_new_stream(context, null);
        if (added == null) {
            throw new SinkException(ErrorCategory.RESOURCE_LIMITATION, "avformat_new_stream (audio) failed");
        }
        added.time_base(av_make_q(1, 1000));
        AVCodecParameters parameters = added.codecpar();
        parameters.codec_type(AVMEDIA_TYPE_AUDIO);
        parameters.codec_id(AV_CODEC_ID_AAC);
        parameters.sample_rate(audio.sampleRate());
        av_channel_layout_default(parameters.ch_layout(), audio.channels());
        parameters.frame_size(AAC_FRAME_SAMPLES);
        if (audio.bitrateBps() > 0) {
            parameters.bit_rate(audio.bitrateBps());
        }
        // the AudioSpecificConfig becomes FLV's AAC sequence header
        setExtradata(parameters, audio.extradata());
        return added;
    }

    /** Copies {@code extradata} into codecpar: FFmpeg frees it with av_free, so it comes from av_malloc, padded. */
    private static void setExtradata(AVCodecParameters parameters, byte[] extradata) throws SinkException {
        if (extradata == null || extradata.length == 0) {
            return;
        }
        Pointer memory = av_malloc(extradata.length + AV_INPUT_BUFFER_PADDING_SIZE);
        if (memory == null || memory.isNull()) {
            throw new SinkException(ErrorCategory.RESOURCE_LIMITATION, "av_malloc of extradata failed");
        }
        BytePointer bytes = new BytePointer(memory).capacity(extradata.length + AV_INPUT_BUFFER_PADDING_SIZE);
        bytes.put(extradata, 0, extradata.length);
        for (int i = 0; i < AV_INPUT_BUFFER_PADDING_SIZE; i++) {
            bytes.put(extradata.length + i, (byte) 0);
        }
        parameters.extradata(bytes);
        parameters.extradata_size(extradata.length);
    }

    /** FLV's onMetaData carries the context's metadata as strings; our gateway hands it on to players. */
    private void setCaptureEpochMetadata() {
        long epochUs = settings.start().captureEpochUsAtZero();
        if (epochUs <= 0) {
            return;
        }
        AVDictionary metadata = context.metadata();
        if (metadata == null) {
            metadata = new AVDictionary(null);
        }
        av_dict_set(metadata, CAPTURE_EPOCH_KEY, Long.toString(epochUs), 0);
        context.metadata(metadata); // freed with the context
    }

    @Override
    public void write(SharedPacket shared, long ptsUs, long dtsUs) throws SinkException {
        if (!headerWritten || closed) {
            throw new IllegalStateException("muxer not open");
        }
        AVStream target;
        AVRational timeBase;
        if (shared.track() == Track.AUDIO) {
            if (audioStream == null) {
                return; // this connection started without audio; the next keyframe with an audio config reconnects
            }
            target = audioStream;
            timeBase = audioTimeBase;
        } else {
            target = stream;
            timeBase = streamTimeBase;
        }
        packet.data(shared.nativeData());
        packet.size(shared.size());
        packet.stream_index(target.index());
        packet.pts(av_rescale_q(ptsUs, microseconds, timeBase));
        packet.dts(av_rescale_q(dtsUs, microseconds, timeBase));
        packet.duration(av_rescale_q(shared.durationUs(), microseconds, timeBase));
        packet.flags(shared.keyframe() || shared.track() == Track.AUDIO ? AV_PKT_FLAG_KEY : 0);
        packet.pos(-1);
        if (pendingVideoExtradata != null && target == stream) {
            attachNewExtradata(pendingVideoExtradata);
            pendingVideoExtradata = null;
        }
        armDeadline(settings.ioTimeout());
        int result;
        try {
            result = av_write_frame(context, packet);
            if (result >= 0 && context.pb() != null) {
                avio_flush(context.pb()); // one packet, one flush: nothing waits in AVIO's buffer
                result = context.pb().error();
            }
        } finally {
            av_packet_free_side_data(packet);
            packet.data(null);
            packet.size(0);
        }
        check(result, "write packet", ErrorCategory.FORMAT_CONVERSION);
    }

    /**
     * FFmpeg's flv muxer writes a new AVC sequence header when a video packet carries
     * {@code AV_PKT_DATA_NEW_EXTRADATA} that differs from the stream's extradata: players reconfigure their decoder
     * on the same connection.
     */
    @Override
    public boolean replaceVideoExtradata(byte[] extradata) {
        if (!headerWritten || closed || extradata == null || extradata.length == 0) {
            return false;
        }
        pendingVideoExtradata = extradata.clone();
        return true;
    }

    private void attachNewExtradata(byte[] extradata) throws SinkException {
        BytePointer side = av_packet_new_side_data(packet, AV_PKT_DATA_NEW_EXTRADATA, extradata.length);
        if (side == null || side.isNull()) {
            throw new SinkException(ErrorCategory.RESOURCE_LIMITATION, "av_packet_new_side_data failed");
        }
        side.capacity(extradata.length).put(extradata, 0, extradata.length);
    }

    @Override
    public TcpDelivery.Snapshot delivery() {
        return socketFd < 0 || closed ? TcpDelivery.UNKNOWN : TcpDelivery.read(socketFd);
    }

    @Override
    public void finish() throws SinkException {
        if (!headerWritten || closed) {
            return;
        }
        armDeadline(settings.ioTimeout());
        headerWritten = false;
        check(av_write_trailer(context), "write trailer", ErrorCategory.OUTPUT_CONNECTION);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        socketFd = -1; // FFmpeg closes it below; the number may be reused at once
        // closing may still talk to the peer (RTMP deleteStream): keep it bounded too
        armDeadline(settings.ioTimeout());
        if (packet != null) {
            av_packet_free(packet);
            packet = null;
        }
        if (context != null) {
            if (context.pb() != null && context.oformat() != null && (context.oformat().flags() & AVFMT_NOFILE) == 0) {
                avio_closep(context.pb());
            }
            avformat_free_context(context);
            context = null;
        }
        BY_INTERRUPT_TOKEN.remove(interruptToken.address());
        interruptToken.close();
        microseconds.close();
    }

    private void armDeadline(java.time.Duration timeout) {
        ioDeadlineNs = System.nanoTime() + timeout.toNanos();
    }

    private boolean shouldInterrupt() {
        return abort.getAsBoolean() || System.nanoTime() - ioDeadlineNs > 0;
    }

    private void check(int result, String step, ErrorCategory defaultCategory) throws SinkException {
        if (result >= 0) {
            return;
        }
        throw failure(result, step, ErrorCategory.of(FfmpegErrors.kind(result), defaultCategory));
    }

    private SinkException failure(int result, String step, ErrorCategory category) {
        boolean timedOut = System.nanoTime() - ioDeadlineNs > 0;
        String reason = timedOut ? "timed out (" + FfmpegErrors.describe(result) + ")" : FfmpegErrors.describe(result);
        if (category == ErrorCategory.OUTPUT_REFUSED) {
            reason = "the platform refused the stream: " + reason;
        }
        // the masked URL last: masking takes everything up to white space as the key
        return new SinkException(category, step + " " + settings.format() + ": " + reason + ", at "
                + UrlMasking.mask(settings.url()));
    }

    private static final class InterruptCallback extends AVIOInterruptCB.Callback_Pointer {
        @Override
        public int call(Pointer opaque) {
            if (opaque == null) {
                return 0;
            }
            FfmpegMuxer muxer = BY_INTERRUPT_TOKEN.get(opaque.address());
            return muxer != null && muxer.shouldInterrupt() ? 1 : 0;
        }
    }
}
