package io.streammanager.composition.clock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class FrameClockTest {

    @Test
    void aClockAtAWholeRateStampsPtsThatNeverDriftFromItsRate() throws Exception {
        RecordingSink sink = new RecordingSink();
        List<Long> indices = new CopyOnWriteArrayList<>();
        FrameClock clock = FrameClock.atRate("thirty", 30, sink, (pixels, i, pts, capture) -> indices.add(i),
                ClockListener.NONE);
        clock.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (sink.published.size() < 10 && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
        }
        assertTrue(clock.stop(Duration.ofSeconds(1)));
        assertTrue(sink.published.size() >= 10, "frames published: " + sink.published.size());
        for (int n = 0; n < sink.published.size(); n++) {
            // 33333, 66666, 100000, ...: a rounded 33333 us step would be 1 us short every 3 frames
            assertEquals(indices.get(n) * 1_000_000 / 30, sink.published.get(n).ptsUs());
        }
        assertEquals(33_333, clock.frameDurationUs());
    }

    @Test
    void publishesFramesAtTheConfiguredRateWithPtsFromTheFrameIndex() throws Exception {
        RecordingSink sink = new RecordingSink();
        List<Long> indices = new CopyOnWriteArrayList<>();
        FrameClock clock = new FrameClock("steady", 20_000, sink, (pixels, i, pts, capture) -> indices.add(i),
                ClockListener.NONE);
        long startMs = System.currentTimeMillis();
        clock.start();
        Thread.sleep(500);
        assertTrue(clock.stop(Duration.ofSeconds(1)));
        long elapsedMs = System.currentTimeMillis() - startMs;

        int published = sink.published.size();
        long slots = published + clock.stats().droppedFrames();
        assertTrue(slots >= 15 && slots <= elapsedMs / 20 + 2,
                "every 20 ms slot of ~500 ms is rendered or counted as dropped: " + published + " + "
                        + clock.stats().droppedFrames());
        assertTrue(published >= 10, "most slots are rendered: " + published);
        for (int n = 0; n < published; n++) {
            assertEquals(indices.get(n) * 20_000, sink.published.get(n).ptsUs());
        }
        long captureSpanUs = sink.published.getLast().captureEpochUs() - sink.published.getFirst().captureEpochUs();
        long ptsSpanUs = sink.published.getLast().ptsUs() - sink.published.getFirst().ptsUs();
        assertTrue(Math.abs(captureSpanUs - ptsSpanUs) < 40_000, "wall clock follows pts: " + captureSpanUs + " vs " + ptsSpanUs);
        assertEquals(published, clock.stats().frames());
        assertTrue(sink.heartbeats >= published, "heartbeat every frame");
    }

    @Test
    void aSlowFrameMakesTheClockSkipMissedSlotsAndCountThemAsDropped() throws Exception {
        RecordingSink sink = new RecordingSink();
        List<Long> indices = new CopyOnWriteArrayList<>();
        AtomicLong droppedSeen = new AtomicLong();
        java.util.concurrent.atomic.AtomicBoolean first = new java.util.concurrent.atomic.AtomicBoolean(true);
        // The first frame (always rendered: it is due when the thread starts) takes 110 ms, five and a half frames.
        FramePainter slowFirstFrame = (pixels, i, pts, capture) -> {
            indices.add(i);
            if (first.getAndSet(false)) {
                sleep(110);
            }
        };
        ClockListener listener = new ClockListener() {
            @Override
            public void framesDropped(long frames) {
                droppedSeen.addAndGet(frames);
            }
        };
        FrameClock clock = new FrameClock("slow", 20_000, sink, slowFirstFrame, listener);
        clock.start();
        Thread.sleep(400);
        assertTrue(clock.stop(Duration.ofSeconds(1)));

        assertEquals(0L, indices.get(0));
        long next = indices.get(1);
        assertTrue(next >= 5, "skipped ahead to the current slot, next index = " + next);
        assertTrue(clock.stats().droppedFrames() >= next - 1, "every skipped slot is counted: " + clock.stats().droppedFrames());
        assertEquals(clock.stats().droppedFrames(), droppedSeen.get());
        for (int n = 1; n < indices.size(); n++) {
            assertTrue(indices.get(n) > indices.get(n - 1), "indices only go up");
        }
        assertEquals(next * 20_000, sink.published.get(1).ptsUs(), "pts jumps with the skipped slots");
        assertEquals(clock.stats().frames() + clock.stats().droppedFrames(), indices.getLast() + 1,
                "every slot up to the last is either rendered or counted as dropped");
    }

    @Test
    void aClockUpToTwoFramesBehindPaintsTheMissedFramesBackToBackInsteadOfDroppingThem() throws Exception {
        RecordingSink sink = new RecordingSink();
        List<Long> indices = new CopyOnWriteArrayList<>();
        java.util.concurrent.atomic.AtomicBoolean first = new java.util.concurrent.atomic.AtomicBoolean(true);
        // 40 ms frames; the first takes 100 ms: frame 1 starts 60 ms (a frame and a half) late, frame 2 20 ms late
        FramePainter slowFirstFrame = (pixels, i, pts, capture) -> {
            indices.add(i);
            if (first.getAndSet(false)) {
                sleep(100);
            }
        };
        FrameClock clock = new FrameClock("hiccup", 40_000, sink, slowFirstFrame, new ClockListener() {
        });
        clock.start();
        assertTrue(io.streammanager.bus.testing.Poll.until(Duration.ofSeconds(5), () -> sink.published.size() >= 6),
                "six frames published");
        assertTrue(clock.stop(Duration.ofSeconds(1)));

        assertEquals(0, clock.stats().droppedFrames(), "no slot skipped");
        for (int n = 0; n < indices.size(); n++) {
            assertEquals(n, indices.get(n), "every frame painted, in order: " + indices);
        }
        assertEquals(40_000, sink.published.get(1).ptsUs(), "pts whole");
        assertTrue(clock.stats().lateFrames() >= 1, "the caught-up frames count as late");
    }

    @Test
    void aFailingPaintIsCountedAndTheClockKeepsGoing() throws Exception {
        RecordingSink sink = new RecordingSink();
        java.util.concurrent.atomic.AtomicBoolean first = new java.util.concurrent.atomic.AtomicBoolean(true);
        FrameClock clock = new FrameClock("failing", 10_000, sink, (pixels, i, pts, capture) -> {
            if (first.getAndSet(false)) {
                throw new IllegalStateException("boom (expected by this test)");
            }
        }, ClockListener.NONE);
        clock.start();
        Thread.sleep(300);
        assertTrue(clock.stop(Duration.ofSeconds(1)));
        assertEquals(1, clock.stats().failedFrames());
        assertTrue(clock.stats().frames() >= 3, "frames after the failure still come: " + clock.stats().frames());
        assertEquals(clock.stats().frames(), sink.published.size(), "the failed frame was not published");
    }

    @Test
    void stopReturnsPromptlyEvenAtALowFrameRate() {
        FrameClock clock = new FrameClock("slow-rate", 1_000_000, new RecordingSink(), (p, i, pts, c) -> {
        }, ClockListener.NONE);
        clock.start();
        long start = System.nanoTime();
        assertTrue(clock.stop(Duration.ofSeconds(1)));
        assertTrue(System.nanoTime() - start < 500_000_000L, "stop does not wait for the next tick");
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
