package io.streammanager.composition.sources;

import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder;
import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_S16;

import io.streammanager.composition.audio.AudioQueue;
import io.streammanager.ffmpeg.UrlMasking;
import java.util.Optional;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FrameGrabber;
import org.jboss.logging.Logger;

/**
 * Opens one source's input for decoding, set up for the mix (sound resampled by swresample to 48 kHz stereo S16) and,
 * for a live input, for low latency. The video is decoded in software unless a hardware decoder is configured and
 * present ({@link HardwareDecoders}): the codec is only known once the input is open, so the input is then opened
 * again with that decoder. A hardware decoder that fails to open, or fails before its first picture, is not tried
 * again for this source, which goes on in software; {@link #decoder()} and {@link #hardwareError()} say which.
 * One owning thread (the source's).
 */
final class InputOpener {

    private static final Logger LOG = Logger.getLogger(InputOpener.class);

    private final String name;
    private final SourceInput input;
    private final long readTimeoutNs;
    private final HardwareDecoders decoders;
    private volatile String decoder;
    private volatile String hardwareError;
    private boolean onHardware;

    InputOpener(String name, SourceInput input, long readTimeoutNs, HardwareDecoders decoders) {
        this.name = name;
        this.input = input;
        this.readTimeoutNs = readTimeoutNs;
        this.decoders = decoders;
    }

    /** A started grabber; its video decoded in hardware where that is configured, present and not failed before. */
    FFmpegFrameGrabber open(boolean video) throws FrameGrabber.Exception {
        onHardware = false;
        FFmpegFrameGrabber grabber = start(configured(input.grabber()));
        if (!video || !grabber.hasVideo()) {
            return grabber;
        }
        int codecId = grabber.getVideoCodec();
        Optional<String> hardware = hardwareError == null ? decoders.choose(codecId) : Optional.empty();
        if (hardware.isEmpty()) {
            decoder = softwareName(codecId);
            return grabber;
        }
        grabber.close();
        FFmpegFrameGrabber reopened = configured(input.grabber());
        reopened.setVideoCodecName(hardware.get());
        try {
            start(reopened);
            decoder = hardware.get();
            onHardware = true;
            return reopened;
        } catch (FrameGrabber.Exception e) {
            hardwareFailed(hardware.get(), e.getMessage());
            FFmpegFrameGrabber software = start(configured(input.grabber()));
            decoder = softwareName(codecId);
            return software;
        }
    }

    /** The hardware decoder ended the input before its first picture: software from the next open on. */
    void failedBeforeFirstPicture(String reason) {
        if (onHardware) {
            hardwareFailed(decoder, reason);
        }
    }

    private void hardwareFailed(String hardware, String reason) {
        hardwareError = hardware + ": " + UrlMasking.mask(reason);
        LOG.warnf("source %s: hardware decoder failed, decoding in software: %s", name, hardwareError);
        decoder = null;
        onHardware = false;
    }

    /** The video decoder in use (e.g. {@code h264} or {@code h264_cuvid}); null before the first open with video. */
    String decoder() {
        return decoder;
    }

    /** Why this source's hardware decoder was given up, or null. */
    String hardwareError() {
        return hardwareError;
    }

    private FFmpegFrameGrabber configured(FFmpegFrameGrabber grabber) {
        grabber.setImageMode(FrameGrabber.ImageMode.RAW);
        grabber.setSampleRate(AudioQueue.SAMPLE_RATE);
        grabber.setAudioChannels(AudioQueue.CHANNELS);
        grabber.setSampleFormat(AV_SAMPLE_FMT_S16);
        if (input.live()) {
            grabber.setOption("rw_timeout", Long.toString(readTimeoutNs / 1000));
            grabber.setOption("analyzeduration", "500000");
            grabber.setOption("probesize", "500000");
            grabber.setOption("fflags", "nobuffer");
            // Not low_delay on the decoder (a demuxer option of that name was never applied): it would switch the
            // H.264 decoder from frame to slice threads, 8% less CPU and two frames less delay, but those two frames
            // are what lets a live source's sound arrive before the picture it belongs to is shown; without them
            // the mixer runs dry (40 underruns in 3 s in AudioMixTest). That wants an explicit lip-sync buffer first.
        }
        return grabber;
    }

    private static FFmpegFrameGrabber start(FFmpegFrameGrabber grabber) throws FrameGrabber.Exception {
        try {
            grabber.start();
            return grabber;
        } catch (FrameGrabber.Exception | RuntimeException e) {
            grabber.close();
            throw e;
        }
    }

    private static String softwareName(int codecId) {
        AVCodec codec = avcodec_find_decoder(codecId);
        return codec == null ? null : codec.name().getString();
    }
}
