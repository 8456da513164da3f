package io.streammanager.gateway.relay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.streammanager.gateway.rtmp.chunk.ChunkDecoder;
import io.streammanager.gateway.rtmp.chunk.ChunkLimits;
import io.streammanager.gateway.rtmp.chunk.RawMessage;
import io.streammanager.gateway.rtmp.message.MessageType;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link SharedMessage#share(int)}: one chunking serves players on any message stream id. */
class SharedMessageTest {

    private static final ByteBufAllocator ALLOC = PooledByteBufAllocator.DEFAULT;

    /** Dechunks {@code bytes} (consumed and released) with the gateway's own decoder at {@code chunkSize}. */
    private static List<RawMessage> dechunk(ByteBuf bytes, int chunkSize) {
        ChunkDecoder decoder = new ChunkDecoder(new ChunkLimits(65536, 0xFFFFFF, 64), ALLOC);
        decoder.chunkSize(chunkSize);
        List<RawMessage> out = new ArrayList<>();
        try {
            RawMessage m;
            while ((m = decoder.read(bytes)) != null) {
                out.add(m);
            }
            assertFalse(bytes.isReadable(), "every byte decoded");
        } finally {
            bytes.release();
            decoder.close();
        }
        return out;
    }

    @ParameterizedTest
    @CsvSource({
            // typeId, timestamp, payload bytes, chunk size, message stream id
            "9, 40, 10, 4096, 2",
            "9, 40, 10000, 128, 2",
            "8, 16777214, 300, 128, 7",
            "9, 16777215, 9000, 4096, 3", // extended timestamp: the marker, then 4 bytes in every chunk
            "9, 4294967295, 5000, 1000, 65536",
            "18, 0, 1, 4096, 1",
            "9, 123456789, 20000, 4096, 1"})
    void aPlayerOnAnyMessageStreamIdDechunksTheSameMessageWithItsOwnId(int typeId, long timestamp, int length,
                                                                        int chunkSize, int messageStreamId) {
        byte[] body = new byte[length];
        new Random(length).nextBytes(body);
        ByteBuf payload = Unpooled.wrappedBuffer(body);
        SharedMessage message = SharedMessage.encode(ALLOC, typeId, timestamp, payload, chunkSize, false, false);
        try {
            ByteBuf shared = message.share(messageStreamId);
            if (messageStreamId != 1) {
                assertInstanceOf(CompositeByteBuf.class, shared, "a patched header and a slice, not a copy");
                ByteBuf plain = message.share();
                // a composite that is not direct would be copied whole by the socket transport before writing
                assertEquals(plain.isDirect(), shared.isDirect(), "as direct as the shared chunks");
                plain.release();
            }
            List<RawMessage> messages = dechunk(shared, chunkSize);
            assertEquals(1, messages.size());
            RawMessage m = messages.getFirst();
            try {
                assertEquals(messageStreamId, m.streamId());
                assertEquals(typeId, m.typeId());
                assertEquals(timestamp, m.timestamp());
                assertArrayEquals(body, ByteBufUtil.getBytes(m.payload()));
            } finally {
                m.payload().release();
            }
            // the shared bytes are untouched: id 1 still reads the original
            List<RawMessage> original = dechunk(message.share(), chunkSize);
            assertEquals(1, original.getFirst().streamId());
            assertArrayEquals(body, ByteBufUtil.getBytes(original.getFirst().payload()));
            original.getFirst().payload().release();
        } finally {
            message.release();
            payload.release();
        }
    }

    @ParameterizedTest
    @CsvSource({"2", "5"})
    void sharesForSeveralIdsReleaseWithTheMessage(int players) {
        ByteBuf payload = Unpooled.wrappedBuffer(new byte[700]);
        SharedMessage message = SharedMessage.encode(ALLOC, MessageType.VIDEO, 1, payload, 128, true, false);
        List<ByteBuf> shares = new ArrayList<>();
        for (int id = 1; id <= players; id++) {
            shares.add(message.share(id));
        }
        message.release();
        payload.release();
        for (int id = 1; id <= players; id++) {
            List<RawMessage> decoded = dechunk(shares.get(id - 1), 128);
            assertEquals(id, decoded.getFirst().streamId());
            decoded.getFirst().payload().release();
        }
        assertEquals(0, message.refCnt());
        assertEquals(0, shares.getFirst().refCnt(), "the last share released the chunks");
    }
}
