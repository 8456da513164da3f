package io.streammanager.composition.assets;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_BGRA;

import io.streammanager.ffmpeg.FfmpegLog;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;

/**
 * Decodes a picture (PNG with alpha, JPEG and GIF with the JDK's ImageIO, WebP with FFmpeg, which the JDK cannot
 * read) and probes a video file with FFmpeg. Every failure is an {@link InvalidAssetException} that says what is
 * wrong with the file. A truncated PNG or JPEG is refused even where a lenient decoder would show half a picture.
 */
public final class MediaDecoding {

    /** Pictures larger than this (in either direction) are refused: decoding one costs width x height x 4 bytes. */
    static final int MAX_PICTURE_SIDE = 8192;

    private MediaDecoding() {
    }

    /** Decodes the first frame of a picture of media type {@code type}. */
    public static BufferedImage decodeImage(byte[] data, String type) {
        requireComplete(data, type);
        BufferedImage image;
        if ("image/webp".equals(type)) {
            image = decodeWithFfmpeg(data);
        } else {
            try {
                image = ImageIO.read(new ByteArrayInputStream(data));
            } catch (IOException | RuntimeException e) {
                throw new InvalidAssetException("body", "the " + type + " picture is corrupt or truncated: "
                        + e.getMessage());
            }
        }
        if (image == null) {
            throw new InvalidAssetException("body", "the body is not a readable " + type + " picture");
        }
        if (image.getWidth() < 2 || image.getHeight() < 2 || image.getWidth() > MAX_PICTURE_SIDE
                || image.getHeight() > MAX_PICTURE_SIDE) {
            throw new InvalidAssetException("body", "the picture is " + image.getWidth() + "x" + image.getHeight()
                    + "; sides must be between 2 and " + MAX_PICTURE_SIDE + " pixels");
        }
        return image;
    }

    /** Checks the end markers that say a file is complete: PNG's IEND chunk, JPEG's EOI marker. */
    private static void requireComplete(byte[] data, String type) {
        int n = data.length;
        boolean complete = switch (type) {
            case "image/png" -> n >= 12 && data[n - 8] == 'I' && data[n - 7] == 'E' && data[n - 6] == 'N'
                    && data[n - 5] == 'D';
            case "image/jpeg" -> n >= 4 && (data[n - 2] & 0xFF) == 0xFF && (data[n - 1] & 0xFF) == 0xD9;
            default -> true;
        };
        if (!complete) {
            throw new InvalidAssetException("body", "the " + type + " file is truncated: it does not end with its "
                    + ("image/png".equals(type) ? "IEND chunk" : "end-of-image marker"));
        }
    }

    private static BufferedImage decodeWithFfmpeg(byte[] data) {
        quietFfmpeg();
        try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(new ByteArrayInputStream(data), data.length)) {
            grabber.setPixelFormat(AV_PIX_FMT_BGRA);
            grabber.start();
            Frame frame = grabber.grabImage();
            if (frame == null || frame.image == null) {
                throw new InvalidAssetException("body", "the picture holds no image");
            }
            return toArgb(frame);
        } catch (IOException | RuntimeException e) {
            if (e instanceof InvalidAssetException invalid) {
                throw invalid;
            }
            throw new InvalidAssetException("body", "the picture is corrupt or truncated: " + e.getMessage());
        } finally {
            FfmpegLog.endCapture();
        }
    }

    private static BufferedImage toArgb(Frame frame) {
        int width = frame.imageWidth;
        int height = frame.imageHeight;
        ByteBuffer bgra = (ByteBuffer) frame.image[0];
        int stride = frame.imageStride;
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
        int[] row = new int[width];
        for (int y = 0; y < height; y++) {
            int base = y * stride;
            for (int x = 0; x < width; x++) {
                int at = base + 4 * x;
                row[x] = (bgra.get(at + 3) & 0xFF) << 24 | (bgra.get(at + 2) & 0xFF) << 16
                        | (bgra.get(at + 1) & 0xFF) << 8 | (bgra.get(at) & 0xFF);
            }
            image.setRGB(0, y, width, 1, row, 0, width);
        }
        return image;
    }

    /** What a video file holds; its first frame must decode. */
    public record VideoInfo(int width, int height, long durationMs) {
    }

    public static VideoInfo probeVideo(byte[] data, Path file, String type) {
        return probe(data, file, type, grabber -> {
            if (grabber.getImageWidth() <= 0 || grabber.getImageHeight() <= 0) {
                throw new InvalidAssetException("body", "the " + type + " file has no video track");
            }
            if (grabber.grabImage() == null) {
                throw new InvalidAssetException("body", "the " + type + " file holds no decodable video frame");
            }
            return new VideoInfo(grabber.getImageWidth(), grabber.getImageHeight(),
                    Math.max(0, grabber.getLengthInTime() / 1000));
        });
    }

    /** Checks a sound file: it must hold a sound track whose first samples decode; returns its duration in ms. */
    public static long probeSound(byte[] data, Path file, String type) {
        return probe(data, file, type, grabber -> {
            if (!grabber.hasAudio()) {
                throw new InvalidAssetException("body", "the " + type + " file has no sound track");
            }
            if (grabber.grabSamples() == null) {
                throw new InvalidAssetException("body", "the " + type + " file holds no decodable sound");
            }
            return Math.max(0, grabber.getLengthInTime() / 1000);
        });
    }

    /** What a probe checks on a started grabber; it throws {@link InvalidAssetException} naming what is wrong. */
    private interface Check<T> {
        T on(FFmpegFrameGrabber grabber) throws IOException;
    }

    /**
     * Opens an upload (its bytes, or its file on the shared volume) with FFmpeg, FFmpeg's lines kept quiet, and runs
     * {@code check}; any other failure to read it is a corrupt or truncated file.
     */
    private static <T> T probe(byte[] data, Path file, String type, Check<T> check) {
        quietFfmpeg();
        try (InputStream in = data != null ? new ByteArrayInputStream(data) : Files.newInputStream(file);
             FFmpegFrameGrabber grabber = data != null ? new FFmpegFrameGrabber(in, data.length)
                     : new FFmpegFrameGrabber(file.toFile())) {
            grabber.start();
            return check.on(grabber);
        } catch (IOException | RuntimeException e) {
            if (e instanceof InvalidAssetException invalid) {
                throw invalid;
            }
            throw new InvalidAssetException("body", "the " + type + " file is corrupt or truncated: " + e.getMessage());
        } finally {
            FfmpegLog.endCapture();
        }
    }

    /**
     * FFmpeg's own log would repeat every decode error of a bad upload as a warning; our messages carry what
     * matters, so this thread's FFmpeg lines go to DEBUG only until {@link FfmpegLog#endCapture()}.
     */
    private static void quietFfmpeg() {
        FfmpegLog.beginCapture();
    }
}
