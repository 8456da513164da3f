package io.streammanager.gateway.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LiveStreamTest {

    private static final int VIDEO = 9;
    private static final int AUDIO = 8;
    private static final int DATA = 18;

    private final StreamRegistry registry = new StreamRegistry(
            new RelaySettings(4096, 10_000, Duration.ofMillis(50)), ByteBufAllocator.DEFAULT, RelayObserver.NONE);
    /** Audio held for video for an hour: long enough that only the rules, not the clock, decide in these tests. */
    private final StreamRegistry holding = new StreamRegistry(
            new RelaySettings(4096, 10_000, Duration.ofSeconds(5), Duration.ofHours(1)), ByteBufAllocator.DEFAULT,
            RelayObserver.NONE);
    private final FakePlayer publisher = new FakePlayer("pub");
    private final FakePlayer a = new FakePlayer("a");
    private final FakePlayer b = new FakePlayer("b");

    @AfterEach
    void release() {
        registry.streams().forEach(LiveStream::clearCaches);
        holding.streams().forEach(LiveStream::clearCaches);
        a.release();
        b.release();
    }

    private static ByteBuf avcSequenceHeader() {
        return Unpooled.wrappedBuffer(new byte[] {0x17, 0, 0, 0, 0, 1, 2});
    }

    private static ByteBuf keyframe(int size) {
        ByteBuf b = Unpooled.buffer(size).writeBytes(new byte[] {0x17, 1, 0, 0, 0});
        return b.writeZero(size - 5);
    }

    private static ByteBuf interframe(int size) {
        ByteBuf b = Unpooled.buffer(size).writeBytes(new byte[] {0x27, 1, 0, 0, 0});
        return b.writeZero(size - 5);
    }

    private static ByteBuf aacSequenceHeader() {
        return Unpooled.wrappedBuffer(new byte[] {(byte) 0xAF, 0, 0x12, 0x10});
    }

    private static ByteBuf aacFrame() {
        return Unpooled.wrappedBuffer(new byte[] {(byte) 0xAF, 1, 1, 2, 3});
    }

    private LiveStream publish() {
        LiveStream stream = registry.attachPublisher("cam", publisher, "id-1").orElseThrow();
        stream.publish(publisher, DATA, 0, Unpooled.wrappedBuffer(new byte[] {2, 0, 1, 'x'}), true);
        stream.publish(publisher, VIDEO, 0, avcSequenceHeader(), false);
        stream.publish(publisher, AUDIO, 0, aacSequenceHeader(), false);
        stream.publish(publisher, VIDEO, 100, interframe(50), false); // before any keyframe: not cached
        stream.publish(publisher, VIDEO, 133, keyframe(100), false);
        stream.publish(publisher, AUDIO, 140, aacFrame(), false);
        stream.publish(publisher, VIDEO, 166, interframe(50), false);
        return stream;
    }

    @Test
    void aLatePlayerStartsWithMetadataSequenceHeadersAndTheGopFromTheKeyframe() {
        publish();
        registry.attachPlayer("cam", a);
        assertEquals(List.of("18@0", "9@0", "8@0", "9@133", "8@140", "9@166"), a.sentHeaders());
    }

    @Test
    void everyPlayerGetsTheSameSharedBufferNotACopy() {
        LiveStream stream = publish();
        registry.attachPlayer("cam", a);
        registry.attachPlayer("cam", b);
        a.release();
        b.release();
        stream.publish(publisher, VIDEO, 200, interframe(50), false);
        assertEquals(1, a.sent.size());
        assertSame(root(a.sent.get(0)), root(b.sent.get(0)), "both duplicates wrap one buffer");
        assertTrue(a.sent.get(0) != b.sent.get(0), "each player has its own indexes");
    }

    private static ByteBuf root(ByteBuf buf) {
        while (buf.unwrap() != null) {
            buf = buf.unwrap();
        }
        return buf;
    }

    @Test
    void aPlayerWhoseQueueIsFullSkipsToTheNextKeyframeAndCountsDrops() {
        LiveStream stream = publish();
        registry.attachPlayer("cam", a);
        a.release();
        a.full = true;
        stream.publish(publisher, VIDEO, 200, interframe(50), false);
        a.full = false;
        stream.publish(publisher, VIDEO, 233, interframe(50), false);
        stream.publish(publisher, AUDIO, 240, aacFrame(), false);
        stream.publish(publisher, VIDEO, 266, keyframe(100), false);
        stream.publish(publisher, VIDEO, 300, interframe(50), false);
        assertEquals(List.of("9@266", "9@300"), a.sentHeaders());
        assertNull(a.disconnectReason);
    }

    @Test
    void aPlayerThatStaysBehindIsDisconnected() throws InterruptedException {
        LiveStream stream = publish();
        registry.attachPlayer("cam", a);
        a.full = true;
        stream.publish(publisher, VIDEO, 200, interframe(50), false);
        Thread.sleep(80);
        stream.publish(publisher, VIDEO, 233, interframe(50), false);
        assertNotNull(a.disconnectReason);
        assertTrue(a.disconnectReason.contains("behind"), a.disconnectReason);
        assertEquals(0, stream.playerCount());
    }

    @Test
    void theGopCacheIsDroppedWholeWhenItOutgrowsItsBound() {
        LiveStream stream = publish();
        for (int i = 0; i < 300; i++) {
            stream.publish(publisher, VIDEO, 200 + i, interframe(50), false);
        }
        assertEquals(0, stream.gopBytes(), "a GOP beyond 10000 bytes is not kept");
        registry.attachPlayer("cam", a);
        assertEquals(List.of("18@0", "9@0", "8@0"), a.sentHeaders(), "the player waits for the next keyframe");
        a.release();
        stream.publish(publisher, VIDEO, 900, keyframe(100), false);
        assertEquals(List.of("9@900"), a.sentHeaders());
    }

    @Test
    void liveMessagesAndDisconnectsReachPlayersOutsideTheStreamsLock() throws InterruptedException {
        LiveStream stream = publish();
        boolean[] heldLock = new boolean[1];
        FakePlayer watcher = new FakePlayer("w") {
            @Override
            public void send(SharedMessage message) {
                heldLock[0] |= Thread.holdsLock(stream);
                super.send(message);
            }

            @Override
            public void disconnect(String reason) {
                heldLock[0] |= Thread.holdsLock(stream);
                super.disconnect(reason);
            }
        };
        registry.attachPlayer("cam", watcher); // the join itself sends the cache under the lock, to keep order
        heldLock[0] = false;
        stream.publish(publisher, VIDEO, 200, interframe(50), false);
        watcher.full = true;
        stream.publish(publisher, VIDEO, 233, interframe(50), false);
        Thread.sleep(80);
        stream.publish(publisher, VIDEO, 266, interframe(50), false);
        assertNotNull(watcher.disconnectReason);
        assertFalse(heldLock[0], "a sink may take its socket's lock, so the stream's lock must not be held");
        watcher.release();
    }

    @Test
    void aSecondPublisherForTheSameNameIsRefused() {
        publish();
        assertTrue(registry.attachPublisher("cam", new FakePlayer("other"), null).isEmpty());
    }

    @Test
    void aTakeoverDisplacesThePublisherAndPlayersResumeAtTheNewcomersKeyframe() {
        LiveStream stream = publish();
        registry.attachPlayer("cam", a);
        a.release();
        FakePlayer newcomer = new FakePlayer("new");
        LiveStream.Attached attached = registry.attachPublisher("cam", newcomer, "id-1", true).orElseThrow();
        assertSame(stream, attached.stream());
        assertSame(publisher, attached.displaced());
        assertEquals(0, a.publisherLeft, "players are not told: the stream goes on");
        stream.publish(publisher, VIDEO, 200, keyframe(100), false); // the old one's late message is dropped
        stream.publish(newcomer, VIDEO, 0, avcSequenceHeader(), false);
        stream.publish(newcomer, VIDEO, 10, interframe(50), false); // not a keyframe: skipped
        stream.publish(newcomer, VIDEO, 33, keyframe(100), false);
        assertEquals(2, a.sent.size(), "the sequence header and the keyframe: " + a.sentHeaders());
        assertEquals(stream, registry.find("cam").orElseThrow());
    }

    @Test
    void aReturningPublishersTimestampsContinueFromTheLastOneSent() {
        LiveStream stream = publish(); // last timestamp sent: 166
        registry.attachPlayer("cam", a);
        a.release();
        stream.detachPublisher(publisher);
        assertEquals(1, a.publisherLeft);
        FakePlayer again = new FakePlayer("again");
        registry.attachPublisher("cam", again, "id-1", false).orElseThrow();
        stream.publish(again, VIDEO, 0, avcSequenceHeader(), false);
        stream.publish(again, VIDEO, 0, keyframe(100), false);
        stream.publish(again, VIDEO, 33, interframe(50), false);
        List<Integer> timestamps = a.sentHeaders().stream().map(h -> Integer.parseInt(h.substring(h.indexOf('@') + 1))).toList();
        assertEquals(3, timestamps.size());
        assertTrue(timestamps.get(0) > 166, "continues after the last timestamp: " + timestamps);
        assertEquals(timestamps.get(1) + 33, timestamps.get(2), "and keeps the new publisher's spacing");
    }

    @Test
    void streamsAreForgottenWhenTheLastSessionLeaves() {
        LiveStream stream = publish();
        registry.attachPlayer("cam", a);
        stream.detachPublisher(publisher);
        assertEquals(1, a.publisherLeft);
        registry.removeIfIdle(stream);
        assertTrue(registry.find("cam").isPresent());
        stream.removePlayer("a");
        registry.removeIfIdle(stream);
        assertFalse(registry.find("cam").isPresent());
        assertEquals(0, registry.activeStreams());
    }

    @Test
    void stopAllDetachesThenTellsThePublisherAndEveryPlayer() {
        LiveStream stream = publish();
        registry.attachPlayer("cam", a);
        registry.attachPlayer("cam", b);
        stream.stopAll("stopped: test");
        assertEquals("stopped: test", publisher.stoppedReason);
        assertEquals("stopped: test", a.stoppedReason);
        assertEquals("stopped: test", b.stoppedReason);
        assertFalse(stream.hasPublisher());
        assertEquals(0, stream.playerCount());
        int sentBefore = a.sent.size();
        stream.publish(publisher, VIDEO, 200, interframe(50), false);
        assertEquals(sentBefore, a.sent.size(), "nothing more is relayed to anyone");
        registry.removeIfIdle(stream);
        assertFalse(registry.find("cam").isPresent());
    }

    // ---- audio hold: audio waits unflushed for the next video message (gateway.player.audio-hold)

    @Test
    void audioWaitsUnflushedForTheNextVideoMessageWhichFlushesBoth() {
        LiveStream stream = holding.attachPublisher("cam", publisher, "id-1").orElseThrow();
        stream.publish(publisher, VIDEO, 0, avcSequenceHeader(), false);
        holding.attachPlayer("cam", a);
        stream.publish(publisher, VIDEO, 33, keyframe(100), false);
        assertEquals(0, a.held, "video is flushed at once");
        stream.publish(publisher, AUDIO, 40, aacFrame(), false);
        stream.publish(publisher, AUDIO, 61, aacFrame(), false);
        assertEquals(2, a.held, "audio waits for video");
        stream.publish(publisher, VIDEO, 66, interframe(50), false);
        assertEquals(0, a.held, "the video message's flush takes the held audio along");
        assertEquals(List.of("9@0", "9@33", "8@40", "8@61", "9@66"), a.sentHeaders(), "in order");
    }

    @Test
    void audioIsNotHeldOnAStreamWithoutVideoNorWhenTheHoldIsZero() {
        LiveStream audioOnly = holding.attachPublisher("radio", publisher, "id-1").orElseThrow();
        holding.attachPlayer("radio", a);
        audioOnly.publish(publisher, AUDIO, 0, aacFrame(), false);
        audioOnly.publish(publisher, AUDIO, 21, aacFrame(), false);
        assertEquals(2, a.sent.size());
        assertEquals(0, a.held, "no video will come to flush it");
        LiveStream stream = publish(); // the default registry: hold 0
        registry.attachPlayer("cam", b);
        stream.publish(publisher, AUDIO, 180, aacFrame(), false);
        assertEquals(0, b.held);
    }

    @Test
    void heldAudioIsFlushedWhenThePublisherLeavesOrThePlayerSkipsTheVideo() {
        LiveStream stream = holding.attachPublisher("cam", publisher, "id-1").orElseThrow();
        stream.publish(publisher, VIDEO, 0, avcSequenceHeader(), false);
        holding.attachPlayer("cam", a);
        holding.attachPlayer("cam", b);
        stream.publish(publisher, VIDEO, 33, keyframe(100), false);
        stream.publish(publisher, AUDIO, 40, aacFrame(), false);
        assertEquals(1, a.held);
        assertEquals(1, b.held);
        b.full = true; // b skips the next video (its queue is full): its held audio must not wait for a keyframe
        stream.publish(publisher, VIDEO, 66, interframe(50), false);
        assertEquals(0, a.held);
        assertEquals(0, b.held, "flushed without the video");
        assertEquals(1, b.flushCalls);
        stream.publish(publisher, AUDIO, 80, aacFrame(), false);
        assertEquals(1, a.held);
        stream.detachPublisher(publisher);
        assertEquals(0, a.held, "nothing stays held once the publisher left");
        assertEquals(1, a.publisherLeft);
    }
}
