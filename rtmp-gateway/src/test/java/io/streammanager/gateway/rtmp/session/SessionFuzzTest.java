package io.streammanager.gateway.rtmp.session;

import static org.junit.jupiter.api.Assertions.fail;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.streammanager.gateway.rtmp.RtmpException;
import io.streammanager.gateway.rtmp.amf0.Amf0EcmaArray;
import io.streammanager.gateway.rtmp.amf0.Amf0Writer;
import io.streammanager.gateway.rtmp.chunk.ChunkEncoder;
import io.streammanager.gateway.rtmp.message.MessageType;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Mutated client byte streams: whatever a peer sends, the session either works or throws an {@link RtmpException}
 * (which closes only that connection); any other exception is a bug. Inputs that once failed stay in
 * {@link #REGRESSIONS}.
 */
class SessionFuzzTest {

    /** Hex of post-handshake client bytes that once escaped as a non-RTMP exception. */
    private static final List<String> REGRESSIONS = List.of(
            // connect, then publish "cam?key=%": URLDecoder threw IllegalArgumentException on the bad escape
            "030000000000231400000000020007636f6e6e656374003ff00000000000000300036170700200046c6976650000090300000000"
                    + "002714010000000200077075626c6973680040000000000000000502000963616d3f6b65793d250200046c697665"
    );

    private static byte[] validPublisherStream() {
        ByteBuf out = Unpooled.buffer();
        ByteBuf body = Unpooled.buffer();
        Amf0Writer.writeAll(body, "connect", 1.0, Map.of("app", "live", "tcUrl", "rtmp://h/live"));
        ChunkEncoder.encode(3, MessageType.COMMAND_AMF0, 0, 0, body, 128, out);
        body.clear();
        Amf0Writer.writeAll(body, "publish", 2.0, null, "cam?key=k", "live");
        ChunkEncoder.encode(3, MessageType.COMMAND_AMF0, 1, 0, body, 128, out);
        body.clear();
        body.writeInt(4096);
        ChunkEncoder.encode(2, MessageType.SET_CHUNK_SIZE, 0, 0, body, 128, out);
        body.clear();
        Amf0Writer.writeAll(body, "@setDataFrame", "onMetaData", new Amf0EcmaArray(Map.of("width", 640.0, "list", List.of(1.0))));
        ChunkEncoder.encode(5, MessageType.DATA_AMF0, 1, 0, body, 4096, out);
        body.clear();
        body.writeBytes(new byte[] {0x17, 0, 0, 0, 0, 1, 2, 3}).writeZero(300);
        ChunkEncoder.encode(6, MessageType.VIDEO, 1, 10, body, 4096, out);
        body.clear();
        body.writeShort(6).writeInt(99);
        ChunkEncoder.encode(2, MessageType.USER_CONTROL, 0, 0, body, 4096, out);
        body.release();
        try {
            return ByteBufUtil.getBytes(out);
        } finally {
            out.release();
        }
    }

    private static void feed(byte[] afterHandshake, String label) {
        try (FakeClient client = new FakeClient()) {
            client.handshake();
            client.session.receive(Unpooled.copiedBuffer(afterHandshake));
            if (!client.publishRequests.isEmpty()) {
                client.acceptPublish();
            }
        } catch (RtmpException expected) {
            // a protocol violation: the connection would be closed
        } catch (RuntimeException e) {
            fail(label + ": " + e + " for input " + ByteBufUtil.hexDump(afterHandshake), e);
        }
    }

    @Test
    void keptRegressionInputsOnlyRaiseProtocolErrors() {
        REGRESSIONS.forEach(hex -> feed(ByteBufUtil.decodeHexDump(hex), "regression"));
    }

    @Test
    void mutatedPublisherStreamsOnlyRaiseProtocolErrors() {
        byte[] valid = validPublisherStream();
        // -Dfuzz.seed / -Dfuzz.rounds explore further; the default run stays short and repeatable
        long seed = Long.getLong("fuzz.seed", 20261124L);
        int rounds = Integer.getInteger("fuzz.rounds", 3000);
        Random random = new Random(seed);
        for (int round = 0; round < rounds; round++) {
            byte[] input = valid.clone();
            int mutations = 1 + random.nextInt(4);
            for (int i = 0; i < mutations; i++) {
                input[random.nextInt(input.length)] = (byte) random.nextInt(256);
            }
            int length = random.nextInt(4) == 0 ? random.nextInt(input.length) : input.length;
            feed(java.util.Arrays.copyOf(input, length), "seed " + seed + " round " + round);
        }
    }
}
