package io.streammanager.encoder.pipeline;

import io.streammanager.bus.shm.PixelFormat;
import io.streammanager.encoder.codec.InputFormat;

/** The frame ring's pixel formats as the codec layer knows them. */
final class PixelFormats {

    private PixelFormats() {
    }

    static InputFormat toInput(PixelFormat format) {
        return switch (format) {
            case I420 -> InputFormat.YUV420P;
            case BGRA -> InputFormat.BGRA;
        };
    }
}
