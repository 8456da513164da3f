package io.streammanager.gateway.rtmp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.streammanager.gateway.rtmp.amf0.Amf0Limits;
import io.streammanager.gateway.rtmp.amf0.Amf0Reader;
import io.streammanager.gateway.rtmp.chunk.ChunkDecoder;
import io.streammanager.gateway.rtmp.chunk.ChunkLimits;
import io.streammanager.gateway.rtmp.chunk.RawMessage;
import io.streammanager.gateway.rtmp.handshake.ServerHandshake;
import io.streammanager.gateway.rtmp.message.Abort;
import io.streammanager.gateway.rtmp.message.MessageType;
import io.streammanager.gateway.rtmp.message.SetChunkSize;

/**
 * The fuzz targets over the pure protocol layers, shared by Jazzer ({@link ProtocolFuzzTest}) and the seeded pass
 * of the normal suite. Each takes arbitrary bytes; a protocol violation ends in an {@link RtmpException} (which the
 * caller treats as "connection closed"), any other Throwable escapes as a bug. Every target also checks that all
 * buffers it allocated were released.
 *
 * <p>Split inputs: the first byte's low 3 bits give a count {@code n} of socket reads, the next {@code n} bytes
 * their sizes; the rest of the input is the byte stream, the part the sizes leave over arriving as a final read.
 */
final class ProtocolFuzzTargets {

    /** The gateway's defaults (gateway.limits.*), which production runs with. */
    static final ChunkLimits CHUNK_LIMITS = ChunkLimits.DEFAULTS;
    static final Amf0Limits AMF0_LIMITS = Amf0Limits.DEFAULTS;

    private ProtocolFuzzTargets() {
    }

    /** Reassembles chunks fed in several reads, applying Set Chunk Size and Abort as the session does. */
    static void chunkDecoder(byte[] input) {
        UnpooledByteBufAllocator alloc = new UnpooledByteBufAllocator(false);
        ByteBuf received = alloc.heapBuffer();
        ChunkDecoder decoder = new ChunkDecoder(CHUNK_LIMITS, alloc);
        try {
            forEachRead(input, read -> {
                received.writeBytes(read);
                RawMessage message;
                while ((message = decoder.read(received)) != null) {
                    try {
                        switch (message.typeId()) {
                            case MessageType.SET_CHUNK_SIZE -> {
                                long size = SetChunkSize.decode(message.payload()).chunkSize();
                                decoder.chunkSize((int) Math.min(size, Integer.MAX_VALUE));
                            }
                            case MessageType.ABORT -> decoder.abort((int) Abort.decode(message.payload()).chunkStreamId());
                            default -> message.payload().skipBytes(message.payload().readableBytes());
                        }
                    } finally {
                        message.payload().release();
                    }
                }
                received.discardReadBytes();
            });
        } catch (RtmpException protocolViolation) {
            // the connection would be closed
        } finally {
            decoder.close();
            received.release();
        }
        checkReleased(alloc, "chunk decoder");
    }

    /** Reads every AMF0 value in the input. */
    static void amf0Reader(byte[] input) {
        ByteBuf in = Unpooled.wrappedBuffer(input);
        try {
            new Amf0Reader(AMF0_LIMITS).readAll(in);
        } catch (RtmpException protocolViolation) {
            // the connection would be closed
        } finally {
            in.release();
        }
    }

    /** Runs the server handshake over the input fed in several reads. */
    static void handshake(byte[] input) {
        UnpooledByteBufAllocator alloc = new UnpooledByteBufAllocator(false);
        ByteBuf received = alloc.heapBuffer();
        ServerHandshake handshake = new ServerHandshake();
        try {
            forEachRead(input, read -> {
                if (handshake.isDone()) {
                    return;
                }
                received.writeBytes(read);
                ByteBuf reply = handshake.process(received, alloc);
                if (reply != null) {
                    int expected = 1 + 2 * ServerHandshake.PACKET_SIZE;
                    if (reply.readableBytes() != expected) {
                        throw new AssertionError("S0+S1+S2 is " + reply.readableBytes() + " bytes, not " + expected);
                    }
                    reply.release();
                }
            });
        } catch (RtmpException protocolViolation) {
            // the connection would be closed
        } finally {
            received.release();
        }
        checkReleased(alloc, "handshake");
    }

    private static void forEachRead(byte[] input, java.util.function.Consumer<ByteBuf> onRead) {
        if (input.length == 0) {
            return;
        }
        int reads = Math.min(input[0] & 0x07, input.length - 1);
        int offset = 1 + reads;
        for (int i = 0; i < reads && offset < input.length; i++) {
            int size = Math.min(input[1 + i] & 0xFF, input.length - offset);
            onRead.accept(Unpooled.wrappedBuffer(input, offset, size));
            offset += size;
        }
        if (offset < input.length) {
            onRead.accept(Unpooled.wrappedBuffer(input, offset, input.length - offset));
        }
    }

    private static void checkReleased(UnpooledByteBufAllocator alloc, String target) {
        long held = alloc.metric().usedHeapMemory() + alloc.metric().usedDirectMemory();
        if (held != 0) {
            throw new AssertionError(target + " left " + held + " bytes of buffers unreleased");
        }
    }
}
