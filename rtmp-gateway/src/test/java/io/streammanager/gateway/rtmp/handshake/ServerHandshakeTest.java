package io.streammanager.gateway.rtmp.handshake;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ServerHandshakeTest {

    private static final int N = ServerHandshake.PACKET_SIZE;

    private static byte[] clientBytes(byte[] c1, byte[] trailing) {
        byte[] all = new byte[1 + 2 * N + trailing.length];
        all[0] = 3;
        System.arraycopy(c1, 0, all, 1, N);
        System.arraycopy(trailing, 0, all, 1 + 2 * N, trailing.length);
        return all;
    }

    @Test
    void answersC0C1WithDigestlessS1AndEchoedC1AtEveryByteSplit() {
        byte[] c1 = new byte[N];
        new Random(1).nextBytes(c1);
        byte[] trailing = {0x03, 0x00, 0x00};
        byte[] input = clientBytes(c1, trailing);
        for (int split = 0; split <= input.length; split += 97) {
            ServerHandshake handshake = new ServerHandshake();
            ByteBuf in = Unpooled.buffer();
            ByteBuf reply = null;
            try {
                in.writeBytes(input, 0, split);
                ByteBuf first = handshake.process(in, ByteBufAllocator.DEFAULT);
                in.writeBytes(input, split, input.length - split);
                ByteBuf second = handshake.process(in, ByteBufAllocator.DEFAULT);
                assertTrue(first == null || second == null, "one reply only");
                reply = first != null ? first : second;
                assertNotNull(reply, "split " + split);
                assertTrue(handshake.isDone(), "split " + split);
                assertEquals(1 + 2 * N, reply.readableBytes());
                assertEquals(3, reply.getByte(0));
                assertEquals(0, reply.getInt(1 + 4), "S1 version bytes are zero: the simple handshake");
                byte[] s2 = new byte[N];
                reply.getBytes(1 + N, s2);
                assertArrayEquals(c1, s2, "S2 echoes C1");
                byte[] rest = new byte[in.readableBytes()];
                in.readBytes(rest);
                assertArrayEquals(trailing, rest, "bytes after C2 stay for the chunk layer");
            } finally {
                in.release();
                if (reply != null) {
                    reply.release();
                }
            }
        }
    }

    @Test
    void waitsForTheWholeC1() {
        ServerHandshake handshake = new ServerHandshake();
        ByteBuf in = Unpooled.buffer().writeByte(3).writeZero(N - 1);
        try {
            assertEquals(null, handshake.process(in, ByteBufAllocator.DEFAULT));
            assertFalse(handshake.isDone());
            assertEquals(N, in.readableBytes(), "nothing consumed");
        } finally {
            in.release();
        }
    }

    @Test
    void refusesAnotherVersionWithATypedError() {
        ServerHandshake handshake = new ServerHandshake();
        ByteBuf in = Unpooled.buffer().writeByte(6).writeZero(N);
        try {
            HandshakeException e = assertThrows(HandshakeException.class, () -> handshake.process(in, ByteBufAllocator.DEFAULT));
            assertTrue(e.getMessage().contains("version 6"), e.getMessage());
        } finally {
            in.release();
        }
    }
}
