package io.streammanager.composition.scene;

import java.lang.foreign.MemorySegment;

/**
 * One decoded frame: I420 of {@code width} x {@code height} (both even), planes packed (strides width and width / 2)
 * in {@code pixels}. {@code arrivalNs} is when the decoder handed it over.
 */
public interface VideoFrame {

    int width();

    int height();

    MemorySegment pixels();

    long arrivalNs();
}
