package io.streammanager.gateway.rtmp.chunk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.streammanager.gateway.rtmp.RtmpException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class ChunkDecoderTest {

    /** A decoded message with its payload copied out, so buffers can be released at once. */
    record Decoded(int csid, int typeId, int streamId, long timestamp, String payloadHex) {
        static Decoded of(RawMessage m) {
            try {
                return new Decoded(m.chunkStreamId(), m.typeId(), m.streamId(), m.timestamp(), ByteBufUtil.hexDump(ByteBufUtil.getBytes(m.payload())));
            } finally {
                m.payload().release();
            }
        }
    }

    private static Decoded expected(int csid, int typeId, int streamId, long timestamp, byte[] payload) {
        return new Decoded(csid, typeId, streamId, timestamp, ByteBufUtil.hexDump(payload));
    }

    /** Decodes {@code input} fed in two parts split at {@code split}; {@code onMessage} may change the decoder. */
    private static List<Decoded> decode(byte[] input, int split, ChunkLimits limits, Consumer<ChunkDecoder> setup,
                                        java.util.function.BiConsumer<ChunkDecoder, Decoded> onMessage) {
        List<Decoded> out = new ArrayList<>();
        ChunkDecoder decoder = new ChunkDecoder(limits, ByteBufAllocator.DEFAULT);
        setup.accept(decoder);
        ByteBuf in = Unpooled.buffer();
        try {
            for (int[] part : new int[][] {{0, split}, {split, input.length}}) {
                in.writeBytes(input, part[0], part[1] - part[0]);
                RawMessage m;
                while ((m = decoder.read(in)) != null) {
                    Decoded d = Decoded.of(m);
                    out.add(d);
                    onMessage.accept(decoder, d);
                }
            }
            assertEquals(0, in.readableBytes(), "all input consumed at split " + split);
        } finally {
            in.release();
            decoder.close();
        }
        return out;
    }

    private static void assertSameAtEverySplit(byte[] input, List<Decoded> expected, Consumer<ChunkDecoder> setup,
                                               java.util.function.BiConsumer<ChunkDecoder, Decoded> onMessage) {
        for (int split = 0; split <= input.length; split++) {
            assertEquals(expected, decode(input, split, ChunkLimits.DEFAULTS, setup, onMessage), "split at byte " + split);
        }
    }

    private static byte[] toArray(ByteBuf buf) {
        try {
            return ByteBufUtil.getBytes(buf);
        } finally {
            buf.release();
        }
    }

    @Test
    void reassemblesEncodedMessagesIdenticallyAtEveryByteBoundary() {
        byte[] video = ChunkWriter.bytes(300, 1);
        byte[] audio = ChunkWriter.bytes(20, 2);
        ByteBuf out = Unpooled.buffer();
        ChunkEncoder.encode(6, 9, 1, 1000, Unpooled.wrappedBuffer(video), 128, out);
        ChunkEncoder.encode(4, 8, 1, 1010, Unpooled.wrappedBuffer(audio), 128, out);
        ChunkEncoder.encode(100, 8, 1, 1020, Unpooled.wrappedBuffer(audio), 128, out); // 2-byte basic header
        ChunkEncoder.encode(400, 8, 1, 1030, Unpooled.wrappedBuffer(audio), 128, out); // 3-byte basic header
        assertSameAtEverySplit(toArray(out), List.of(
                expected(6, 9, 1, 1000, video), expected(4, 8, 1, 1010, audio),
                expected(100, 8, 1, 1020, audio), expected(400, 8, 1, 1030, audio)), d -> { }, (d, m) -> { });
    }

    @Test
    void readsExtendedTimestampsOnFirstAndContinuationChunks() {
        byte[] payload = ChunkWriter.bytes(300, 3);
        long big = 0x01_00_00_05L;
        ByteBuf out = Unpooled.buffer();
        ChunkEncoder.encode(6, 9, 1, big, Unpooled.wrappedBuffer(payload), 128, out);
        // then a type 1 header whose delta itself needs the extended field, then a type 3 new message repeating it
        ChunkWriter.header(out, 1, 6, 0x01_00_00_00L, 4, 9, 0);
        out.writeBytes(payload, 0, 4);
        ChunkWriter.header(out, 3, 6, 0, 0, 0, 0);
        out.writeInt(0x01_00_00_00);
        out.writeBytes(payload, 0, 4);
        byte[] four = java.util.Arrays.copyOf(payload, 4);
        assertSameAtEverySplit(toArray(out), List.of(
                expected(6, 9, 1, big, payload),
                expected(6, 9, 1, big + 0x01_00_00_00L, four),
                expected(6, 9, 1, big + 0x02_00_00_00L, four)), d -> { }, (d, m) -> { });
    }

    @Test
    void appliesDeltasOfTypeOneTwoAndThreeHeaders() {
        ByteBuf out = Unpooled.buffer();
        ChunkWriter.header(out, 0, 4, 100, 2, 8, 1);
        out.writeShort(0xAF01);
        ChunkWriter.header(out, 1, 4, 23, 3, 8, 0); // new length, same stream id
        out.writeMedium(0xAF0102);
        ChunkWriter.header(out, 2, 4, 21, 0, 0, 0); // same length and type
        out.writeMedium(0xAF0103);
        ChunkWriter.header(out, 3, 4, 0, 0, 0, 0); // new message repeating delta 21
        out.writeMedium(0xAF0104);
        assertSameAtEverySplit(toArray(out), List.of(
                new Decoded(4, 8, 1, 100, "af01"), new Decoded(4, 8, 1, 123, "af0102"),
                new Decoded(4, 8, 1, 144, "af0103"), new Decoded(4, 8, 1, 165, "af0104")), d -> { }, (d, m) -> { });
    }

    @Test
    void continuesAMessageWithTypeThreeAfterATypeZeroOfAnotherChunkStream() {
        byte[] big = ChunkWriter.bytes(200, 4);
        byte[] small = ChunkWriter.bytes(10, 5);
        ByteBuf out = Unpooled.buffer();
        ChunkWriter.header(out, 0, 6, 40, 200, 9, 1);
        out.writeBytes(big, 0, 128);
        ChunkWriter.header(out, 0, 4, 41, 10, 8, 1);
        out.writeBytes(small);
        ChunkWriter.header(out, 3, 6, 0, 0, 0, 0);
        out.writeBytes(big, 128, 72);
        assertSameAtEverySplit(toArray(out), List.of(expected(4, 8, 1, 41, small), expected(6, 9, 1, 40, big)),
                d -> { }, (d, m) -> { });
    }

    @Test
    void switchesChunkSizeBetweenMessagesWhenTheCallerAppliesSetChunkSize() {
        byte[] before = ChunkWriter.bytes(300, 6);
        byte[] after = ChunkWriter.bytes(5000, 7);
        ByteBuf out = Unpooled.buffer();
        ChunkEncoder.encode(6, 9, 1, 0, Unpooled.wrappedBuffer(before), 128, out);
        ChunkEncoder.encode(2, 1, 0, 0, Unpooled.wrappedBuffer(new byte[] {0, 0, 0x10, 0}), 128, out);
        ChunkEncoder.encode(6, 9, 1, 33, Unpooled.wrappedBuffer(after), 4096, out);
        byte[] input = toArray(out);
        List<Decoded> expected = List.of(expected(6, 9, 1, 0, before), new Decoded(2, 1, 0, 0, "00001000"),
                expected(6, 9, 1, 33, after));
        for (int split = 0; split <= input.length; split++) {
            List<Decoded> got = decode(input, split, ChunkLimits.DEFAULTS, d -> { }, (decoder, m) -> {
                if (m.typeId() == 1) {
                    decoder.chunkSize(Integer.parseInt(m.payloadHex(), 16));
                }
            });
            assertEquals(expected, got, "split " + split);
        }
    }

    @Test
    void abortDropsThePartialMessageOfOneChunkStream() {
        byte[] next = ChunkWriter.bytes(5, 8);
        ByteBuf out = Unpooled.buffer();
        ChunkWriter.header(out, 0, 6, 0, 300, 9, 1);
        out.writeBytes(ChunkWriter.bytes(128, 9));
        ByteBuf input = Unpooled.wrappedBuffer(toArray(out));
        ChunkDecoder decoder = new ChunkDecoder(ChunkLimits.DEFAULTS, ByteBufAllocator.DEFAULT);
        try {
            assertNull(decoder.read(input));
            decoder.abort(6);
            ByteBuf again = Unpooled.buffer();
            ChunkWriter.header(again, 0, 6, 7, 5, 9, 1);
            again.writeBytes(next);
            assertEquals(expected(6, 9, 1, 7, next), Decoded.of(decoder.read(again)));
            again.release();
        } finally {
            input.release();
            decoder.close();
        }
    }

    @Test
    void refusesAMessageLongerThanTheLimitNamingBothNumbers() {
        ByteBuf in = Unpooled.buffer();
        ChunkWriter.header(in, 0, 6, 0, 2_000_000, 9, 1);
        ChunkDecoder decoder = new ChunkDecoder(new ChunkLimits(4096, 1_000_000, 8), ByteBufAllocator.DEFAULT);
        try {
            RtmpException e = assertThrows(RtmpException.class, () -> decoder.read(in));
            assertEquals(RtmpException.Category.LIMIT, e.category());
            assertTrue(e.getMessage().contains("2000000") && e.getMessage().contains("1000000"), e.getMessage());
        } finally {
            in.release();
            decoder.close();
        }
    }

    @Test
    void refusesAChunkSizeAboveTheLimitAndBelowOne() {
        ChunkDecoder decoder = new ChunkDecoder(new ChunkLimits(4096, 1_000_000, 8), ByteBufAllocator.DEFAULT);
        RtmpException e = assertThrows(RtmpException.class, () -> decoder.chunkSize(70000));
        assertTrue(e.getMessage().contains("70000") && e.getMessage().contains("4096"), e.getMessage());
        assertThrows(ChunkException.class, () -> decoder.chunkSize(0));
    }

    @Test
    void refusesACompressedHeaderWithoutAPreviousTypeZero() {
        ByteBuf in = Unpooled.buffer();
        ChunkWriter.header(in, 0, 4, 0, 1, 8, 1);
        in.writeByte(0);
        ChunkWriter.header(in, 1, 5, 0, 1, 8, 0);
        in.writeByte(0);
        ChunkDecoder decoder = new ChunkDecoder(ChunkLimits.DEFAULTS, ByteBufAllocator.DEFAULT);
        try {
            Decoded.of(decoder.read(in));
            ChunkException e = assertThrows(ChunkException.class, () -> decoder.read(in));
            assertTrue(e.getMessage().contains("csid=5"), e.getMessage());
        } finally {
            in.release();
            decoder.close();
        }
    }

    @Test
    void refusesMoreChunkStreamsThanTheLimit() {
        ByteBuf in = Unpooled.buffer();
        for (int csid = 3; csid < 6; csid++) {
            ChunkWriter.header(in, 0, csid, 0, 1, 8, 1);
            in.writeByte(0);
        }
        ChunkDecoder decoder = new ChunkDecoder(new ChunkLimits(128, 1000, 2), ByteBufAllocator.DEFAULT);
        try {
            Decoded.of(decoder.read(in));
            Decoded.of(decoder.read(in));
            RtmpException e = assertThrows(RtmpException.class, () -> decoder.read(in));
            assertTrue(e.getMessage().contains("3 exceeds limit 2"), e.getMessage());
        } finally {
            in.release();
            decoder.close();
        }
    }

    @Test
    void encoderRepeatsTheExtendedTimestampOnContinuationChunks() {
        ByteBuf out = Unpooled.buffer();
        ChunkEncoder.encode(6, 9, 1, 0xFFFFFFL, Unpooled.wrappedBuffer(new byte[200]), 128, out);
        try {
            // 1 basic + 11 message header + 4 extended + 128 payload, then 1 basic + 4 extended + 72 payload
            assertEquals(1 + 11 + 4 + 128 + 1 + 4 + 72, out.readableBytes());
            assertEquals(0xC6, out.getUnsignedByte(1 + 11 + 4 + 128));
            assertEquals(0xFFFFFF, out.getInt(1 + 11 + 4 + 128 + 1));
            assertArrayEquals(new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF}, ByteBufUtil.getBytes(out, 1, 3));
        } finally {
            out.release();
        }
    }
}
