package io.streammanager.encoder.codec;

import org.bytedeco.ffmpeg.global.avutil;

/** FFmpeg error codes as text. */
public final class FfmpegErrors {

    private static final int MESSAGE_BYTES = 256;

    private FfmpegErrors() {
    }

    public static String describe(int errorCode) {
        byte[] buffer = new byte[MESSAGE_BYTES];
        if (avutil.av_strerror(errorCode, buffer, buffer.length) < 0) {
            return "FFmpeg error " + errorCode;
        }
        int length = 0;
        while (length < buffer.length && buffer[length] != 0) {
            length++;
        }
        return new String(buffer, 0, length, java.nio.charset.StandardCharsets.UTF_8) + " (" + errorCode + ")";
    }

    /** Throws {@link FfmpegException} naming the operation when {@code result} is negative; returns it otherwise. */
    public static int check(int result, String operation) {
        if (result < 0) {
            throw new FfmpegException(operation + ": " + describe(result), result);
        }
        return result;
    }
}
