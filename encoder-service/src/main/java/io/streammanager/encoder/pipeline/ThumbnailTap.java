package io.streammanager.encoder.pipeline;

import java.lang.foreign.MemorySegment;

import io.streammanager.encoder.codec.InputFormat;

/**
 * Where a stream worker offers its frames for thumbnails. Called on the worker's thread only: {@link #grab} reads the
 * slot in place when a thumbnail is due (cheap to ask every frame), {@link #publish} hands it on once the worker knows
 * the slot was not rewritten meanwhile, {@link #close} frees what grabbing holds.
 */
public interface ThumbnailTap extends AutoCloseable {

    /** No thumbnails. */
    ThumbnailTap NONE = new ThumbnailTap() {
        @Override
        public boolean grab(MemorySegment pixels, InputFormat format, int width, int height, long captureEpochUs) {
            return false;
        }

        @Override
        public void publish(boolean intact) {
        }

        @Override
        public void close() {
        }
    };

    /** Copies a scaled picture of the frame if a thumbnail is due; true if it did (then call {@link #publish}). */
    boolean grab(MemorySegment pixels, InputFormat format, int width, int height, long captureEpochUs);

    /** Passes the grabbed picture on, or drops it if the slot was rewritten while it was read ({@code !intact}). */
    void publish(boolean intact);

    @Override
    void close();
}
