package io.streammanager.muxer.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streammanager.bus.shm.CodecConfig;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutputQueueTest {
    private static final CodecConfig CONFIG = CodecConfig.video("h264", 320, 240, 30, 0, new byte[] {1, 2, 3});
    private final PacketPool pool = new PacketPool(8);

    /** Packet i; keyframe every {@code gop}; pts = i ms so the order can be read back. */
    private SharedPacket packet(int i, int gop) {
        boolean key = i % gop == 0;
        return pool.acquire(100, key, i * 1000L, i * 1000L, 1000, 0, key ? CONFIG : null);
    }

    private void offer(OutputQueue queue, int i, int gop) {
        SharedPacket packet = packet(i, gop);
        queue.offer(packet);
        packet.release();
    }

    private static List<Integer> drain(OutputQueue queue) throws InterruptedException {
        List<Integer> indexes = new ArrayList<>();
        SharedPacket packet;
        while ((packet = queue.poll(0)) != null) {
            indexes.add((int) (packet.ptsUs() / 1000));
            packet.release();
        }
        return indexes;
    }

    @Test
    void startsAtTheFirstKeyframe() throws InterruptedException {
        OutputQueue queue = new OutputQueue(100, 1 << 20);
        for (int i = 3; i < 12; i++) {
            offer(queue, i, 5);
        }
        assertEquals(List.of(5, 6, 7, 8, 9, 10, 11), drain(queue));
        assertEquals(2, queue.droppedPackets());
    }

    @Test
    void fullQueueDropsWholeOldGopsAndKeepsTheNewestOne() throws InterruptedException {
        OutputQueue queue = new OutputQueue(8, 1 << 20);
        for (int i = 0; i < 12; i++) { // GOP of 5: keyframes at 0, 5, 10
            offer(queue, i, 5);
        }
        // packet 8 found 0..7 queued: GOP 0..4 went, GOP 5.. stayed, and everything after it was kept
        assertEquals(List.of(5, 6, 7, 8, 9, 10, 11), drain(queue));
        assertEquals(1, queue.overflows());
        assertEquals(5, queue.droppedPackets());
    }

    @Test
    void fullQueueWithoutAKeyframeToKeepSkipsToTheNextKeyframe() throws InterruptedException {
        OutputQueue queue = new OutputQueue(4, 1 << 20);
        offer(queue, 0, 10);
        SharedPacket head = queue.poll(0); // the output took the keyframe: the queue holds only the GOP's tail
        head.release();
        for (int i = 1; i < 14; i++) {
            offer(queue, i, 10);
        }
        List<Integer> drained = drain(queue);
        assertEquals(List.of(10, 11, 12, 13), drained, "never a P-frame whose reference was dropped");
        assertEquals(1, queue.overflows(), "one overflow, then skipping until the keyframe");
    }

    @Test
    void byteLimitCountsToo() throws InterruptedException {
        OutputQueue queue = new OutputQueue(1000, 450); // 4 packets of 100 bytes fit
        for (int i = 0; i < 7; i++) {
            offer(queue, i, 5);
        }
        List<Integer> drained = drain(queue);
        assertEquals(5, drained.getFirst());
        assertTrue(queue.bytes() == 0);
    }

    @Test
    void whileDisconnectedOnlyTheNewestGopIsHeldAndThatIsNoOverflow() throws InterruptedException {
        OutputQueue queue = new OutputQueue(100, 1 << 20);
        queue.holdLatestGopOnly(true);
        for (int i = 0; i < 23; i++) {
            offer(queue, i, 10);
        }
        assertEquals(List.of(20, 21, 22), drain(queue));
        assertEquals(0, queue.overflows());
    }

    @Test
    void resyncKeepsTheNewestQueuedGopOrWaitsForTheNextKeyframe() throws InterruptedException {
        OutputQueue queue = new OutputQueue(100, 1 << 20);
        for (int i = 0; i < 8; i++) {
            offer(queue, i, 5);
        }
        queue.resyncToKeyframe();
        assertEquals(List.of(5, 6, 7), drain(queue));

        offer(queue, 8, 5);
        queue.resyncToKeyframe(); // only a P-frame queued: drop it and wait for keyframe 10
        offer(queue, 9, 5);
        offer(queue, 10, 5);
        assertEquals(List.of(10), drain(queue));
    }

    @Test
    void everyPacketGoesBackToThePoolOnceReleased() throws InterruptedException {
        OutputQueue queue = new OutputQueue(3, 1 << 20);
        List<SharedPacket> all = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            SharedPacket packet = packet(i, 4);
            all.add(packet);
            queue.offer(packet);
            packet.release();
        }
        drain(queue);
        queue.close();
        assertTrue(all.stream().allMatch(p -> p.references() == 0), "no leaked references");
        assertNull(queue.poll(0));
    }

    @Test
    void aSharedPacketIsOneBufferForAllQueues() throws InterruptedException {
        OutputQueue a = new OutputQueue(10, 1 << 20);
        OutputQueue b = new OutputQueue(10, 1 << 20);
        SharedPacket packet = packet(0, 1);
        a.offer(packet);
        b.offer(packet);
        packet.release();
        assertEquals(2, packet.references());
        SharedPacket fromA = a.poll(0);
        SharedPacket fromB = b.poll(0);
        assertTrue(fromA == fromB, "the same buffer, not a copy per output");
        fromA.release();
        fromB.release();
        assertEquals(0, packet.references());
    }
}
