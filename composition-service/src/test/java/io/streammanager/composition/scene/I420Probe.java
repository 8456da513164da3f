package io.streammanager.composition.scene;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import java.lang.foreign.MemorySegment;

/** Reads single samples out of a rendered I420 frame for assertions. */
final class I420Probe {

    private final I420Frame frame;

    I420Probe(int width, int height, MemorySegment pixels) {
        this.frame = new I420Frame(width, height).wrap(pixels);
    }

    int y(int x, int y) {
        return frame.pixels().get(JAVA_BYTE, frame.yOffset(x, y)) & 0xFF;
    }

    int u(int x, int y) {
        return frame.pixels().get(JAVA_BYTE, frame.uOffset(x / 2, y / 2)) & 0xFF;
    }

    int v(int x, int y) {
        return frame.pixels().get(JAVA_BYTE, frame.vOffset(x / 2, y / 2)) & 0xFF;
    }

    YuvColor at(int x, int y) {
        return new YuvColor(y(x, y), u(x, y), v(x, y));
    }
}
