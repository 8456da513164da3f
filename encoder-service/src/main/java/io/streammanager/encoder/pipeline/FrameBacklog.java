package io.streammanager.encoder.pipeline;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import io.streammanager.bus.shm.FrameRingDescriptor;

/**
 * Read-only view of a frame ring's write sequence, so the encoder can export how many frames wait for it.
 * A local stand-in: {@code FrameRingReader} does not expose the producer's sequence yet. One owning thread.
 */
final class FrameBacklog implements AutoCloseable {

    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();

    private final Arena arena;
    private final MemorySegment header;

    private FrameBacklog(Arena arena, MemorySegment header) {
        this.arena = arena;
        this.header = header;
    }

    /** Maps the header of {@code file}; null if it cannot (the gauge then reads 0). */
    static FrameBacklog map(Path file) {
        Arena arena = Arena.ofShared();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            MemorySegment header = channel.map(FileChannel.MapMode.READ_ONLY, 0,
                    FrameRingDescriptor.HEADER_LENGTH, arena);
            return new FrameBacklog(arena, header);
        } catch (IOException | RuntimeException e) {
            arena.close();
            return null;
        }
    }

    /** Frames published but not yet read by a reader whose next sequence is {@code nextSequence}. */
    long waiting(long nextSequence) {
        long written = (long) LONG.getAcquire(header, (long) FrameRingDescriptor.WRITE_SEQUENCE_OFFSET);
        return Math.max(0, written - nextSequence);
    }

    @Override
    public void close() {
        arena.close();
    }
}
