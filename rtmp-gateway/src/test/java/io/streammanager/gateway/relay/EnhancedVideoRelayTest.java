package io.streammanager.gateway.relay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.streammanager.gateway.rtmp.message.FlvFixture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The relay over FFmpeg's real Enhanced RTMP tags (HEVC, AV1): config caching, late joiners, codec refusal. */
class EnhancedVideoRelayTest {

    private final StreamRegistry registry = new StreamRegistry(
            new RelaySettings(65536, 1_000_000, Duration.ofSeconds(5)), ByteBufAllocator.DEFAULT, RelayObserver.NONE);
    private final FakePlayer publisher = new FakePlayer("pub");
    private final List<FakePlayer> players = new ArrayList<>();

    /** A player that takes only the listed E-RTMP codecs and records refusals. */
    private FakePlayer player(String id, String... accepted) {
        FakePlayer player = new FakePlayer(id) {
            @Override
            public boolean acceptsVideoCodec(String fourCc) {
                return List.of(accepted).contains(fourCc);
            }

            @Override
            public void codecRefused(String fourCc) {
                disconnectReason = "refused " + fourCc;
            }
        };
        players.add(player);
        return player;
    }

    @AfterEach
    void release() {
        registry.streams().forEach(LiveStream::clearCaches);
        players.forEach(FakePlayer::release);
    }

    private LiveStream publishAll(String file) {
        LiveStream stream = registry.attachPublisher("cam", publisher, "id-1").orElseThrow();
        for (FlvFixture.Tag tag : FlvFixture.tags(file)) {
            stream.publish(publisher, tag.type(), tag.timestamp(), tag.payload(), tag.type() == 18);
        }
        return stream;
    }

    /** The payload of a message sent as one type 0 chunk (chunk size 65536 here). */
    private static byte[] body(ByteBuf chunks) {
        byte[] body = new byte[chunks.readableBytes() - 12];
        chunks.getBytes(chunks.readerIndex() + 12, body);
        return body;
    }

    @Test
    void aLateHevcPlayerGetsTheSequenceStartColorInfoAndStartsAtTheLastKeyframe() {
        LiveStream stream = publishAll("/io/streammanager/gateway/rtmp/message/hevc.flv");
        assertEquals("hvc1", stream.videoCodec());
        FakePlayer late = player("late", "hvc1");
        registry.attachPlayer("cam", late);
        List<FlvFixture.Tag> tags = FlvFixture.tags("/io/streammanager/gateway/rtmp/message/hevc.flv");
        // metadata, sequence start, colorInfo, then the GOP of the second keyframe (the last tag)
        assertEquals(4, late.sent.size(), late.sentHeaders().toString());
        assertArrayEquals(tags.get(1).body(), body(late.sent.get(1)), "the sequence start, byte for byte");
        assertArrayEquals(tags.get(2).body(), body(late.sent.get(2)), "colorInfo");
        assertArrayEquals(tags.get(5).body(), body(late.sent.get(3)), "the last keyframe");
        assertNull(late.disconnectReason);
    }

    @Test
    void theLaterOfAv1sTwoSequenceStartsIsTheOneCached() {
        publishAll("/io/streammanager/gateway/rtmp/message/av1.flv");
        FakePlayer late = player("late", "av01");
        registry.attachPlayer("cam", late);
        List<FlvFixture.Tag> video = FlvFixture.video("/io/streammanager/gateway/rtmp/message/av1.flv");
        assertArrayEquals(video.get(1).body(), body(late.sent.get(1)));
        assertArrayEquals(video.get(5).body(), body(late.sent.get(late.sent.size() - 1)));
    }

    @Test
    void aPlayerThatDidNotAcceptTheCodecIsRefusedOnJoinAndWhenTheCodecArrives() {
        FakePlayer early = player("early", "av01");
        FakePlayer willing = player("willing", "hvc1");
        registry.attachPlayer("cam", early);
        registry.attachPlayer("cam", willing);
        LiveStream stream = publishAll("/io/streammanager/gateway/rtmp/message/hevc.flv");
        assertEquals("refused hvc1", early.disconnectReason);
        assertEquals(List.of("18@0"), early.sentHeaders(), "it got the metadata before the codec was known, nothing after");
        assertEquals(1, stream.playerCount());
        assertEquals(6, willing.sent.size());

        FakePlayer late = player("late");
        registry.attachPlayer("cam", late);
        assertEquals("refused hvc1", late.disconnectReason);
        assertEquals(0, late.sent.size());
        assertEquals(1, stream.playerCount());
    }

    @Test
    void theCodecIsForgottenWhenThePublisherLeaves() {
        LiveStream stream = publishAll("/io/streammanager/gateway/rtmp/message/vp9.flv");
        assertEquals("vp09", stream.videoCodec());
        FakePlayer watcher = player("w", "vp09");
        registry.attachPlayer("cam", watcher);
        stream.detachPublisher(publisher);
        assertNull(stream.videoCodec());
        FakePlayer legacy = player("legacy");
        registry.attachPlayer("cam", legacy);
        assertNull(legacy.disconnectReason);
    }
}
