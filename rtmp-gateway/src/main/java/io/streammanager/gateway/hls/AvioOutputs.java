package io.streammanager.gateway.hls;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.bytedeco.ffmpeg.avformat.Write_packet_Pointer_BytePointer_int;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;

/**
 * The one write callback every {@link Fmp4Fragmenter}'s custom AVIOContext calls. JavaCPP gives each callback
 * instance a native thunk from a small fixed table, so one static instance serves all muxers and finds the right
 * sink by the AVIOContext's {@code opaque} pointer (a tiny native allocation owned by the fragmenter).
 */
final class AvioOutputs {

    private static final ConcurrentHashMap<Long, Consumer<byte[]>> SINKS = new ConcurrentHashMap<>();

    static final Write_packet_Pointer_BytePointer_int WRITE = new Write_packet_Pointer_BytePointer_int() {
        @Override
        public int call(Pointer opaque, BytePointer buffer, int size) {
            Consumer<byte[]> sink = SINKS.get(opaque.address());
            if (sink == null || size < 0) {
                return -1; // AVERROR(EPERM): nobody owns this context any more
            }
            byte[] bytes = new byte[size];
            buffer.position(0).get(bytes, 0, size);
            sink.accept(bytes);
            return size;
        }
    };

    private AvioOutputs() {
    }

    /** Routes writes through {@code opaque} to {@code sink} until {@link #unregister}. */
    static void register(Pointer opaque, Consumer<byte[]> sink) {
        SINKS.put(opaque.address(), sink);
    }

    static void unregister(Pointer opaque) {
        SINKS.remove(opaque.address());
    }

    static int registered() {
        return SINKS.size();
    }
}
