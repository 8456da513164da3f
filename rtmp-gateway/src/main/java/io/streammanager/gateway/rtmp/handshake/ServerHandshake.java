package io.streammanager.gateway.rtmp.handshake;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The server side of the simple (digest-less) RTMP handshake: C0+C1 in, S0+S1+S2 out, then C2 in.
 *
 * <p>S1 carries zeros in its "version" bytes 4..7, which every common client (FFmpeg, librtmp/rtmpdump, OBS,
 * GStreamer) takes as "old style handshake" and therefore skips digest verification. S2 echoes C1. C2 is read and
 * ignored. Bytes after C2 belong to the chunk stream and are left in the input buffer.
 *
 * <pre>
 *  C0: version(1)=3         S0: version(1)=3
 *  C1: time(4) zero(4) random(1528)      S1: time(4) zero(4) random(1528)
 *                                        S2: copy of C1
 *  C2: copy of S1 (not checked)
 * </pre>
 */
public final class ServerHandshake {

    public static final int RTMP_VERSION = 3;
    public static final int PACKET_SIZE = 1536;

    private enum State { AWAIT_C0_C1, AWAIT_C2, DONE }

    private State state = State.AWAIT_C0_C1;

    /**
     * Consumes what it can from {@code in}. Returns the bytes to send (S0+S1+S2) once C0+C1 have arrived, else null.
     * The caller checks {@link #isDone()} after each call.
     */
    public ByteBuf process(ByteBuf in, ByteBufAllocator alloc) {
        if (state == State.AWAIT_C0_C1) {
            if (in.readableBytes() < 1 + PACKET_SIZE) {
                return null;
            }
            int version = in.readUnsignedByte();
            if (version != RTMP_VERSION) {
                throw new HandshakeException("client version " + version + " is not " + RTMP_VERSION
                        + " (encrypted RTMPE and non-RTMP clients are refused)");
            }
            ByteBuf reply = alloc.buffer(1 + 2 * PACKET_SIZE);
            reply.writeByte(RTMP_VERSION);
            writeS1(reply);
            reply.writeBytes(in, PACKET_SIZE); // S2 = C1
            state = State.AWAIT_C2;
            consumeC2(in);
            return reply;
        }
        consumeC2(in);
        return null;
    }

    private void consumeC2(ByteBuf in) {
        if (state == State.AWAIT_C2 && in.readableBytes() >= PACKET_SIZE) {
            in.skipBytes(PACKET_SIZE);
            state = State.DONE;
        }
    }

    private static void writeS1(ByteBuf out) {
        out.writeInt((int) (System.currentTimeMillis() & 0xFFFFFFFFL));
        out.writeInt(0); // zero version: tells clients this is the simple handshake
        byte[] random = new byte[PACKET_SIZE - 8];
        ThreadLocalRandom.current().nextBytes(random);
        out.writeBytes(random);
    }

    public boolean isDone() {
        return state == State.DONE;
    }
}
