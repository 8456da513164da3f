package io.streammanager.gateway.rtmp.chunk;

import io.netty.buffer.ByteBuf;

/** Test helper: writes chunk headers of any type, as a client with header compression would. */
final class ChunkWriter {
    private ChunkWriter() {
    }

    static void header(ByteBuf out, int fmt, int csid, long timestampOrDelta, int length, int typeId, int streamId) {
        ChunkEncoder.writeBasicHeader(out, fmt, csid);
        boolean extended = timestampOrDelta >= 0xFFFFFF;
        if (fmt <= 2) {
            out.writeMedium(extended ? 0xFFFFFF : (int) timestampOrDelta);
        }
        if (fmt <= 1) {
            out.writeMedium(length);
            out.writeByte(typeId);
        }
        if (fmt == 0) {
            out.writeIntLE(streamId);
        }
        if (extended && fmt <= 2) {
            out.writeInt((int) timestampOrDelta);
        }
    }

    static byte[] bytes(int length, int seed) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) (seed + i * 31);
        }
        return b;
    }
}
