package io.streammanager.encoder.codec;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Stream churn must not cost native memory: a ladder opened, fed and closed on its own thread (as each stream's worker
 * does) gives every byte FFmpeg and libx264 allocated back to malloc. Measured with glibc's own count, so a codec
 * context, frame, packet or scaler left unfreed shows up whatever the JVM thinks.
 */
@Timeout(120)
class LadderEncoderMemoryTest {

    private static final int WIDTH = 1280;
    private static final int HEIGHT = 720;
    private static final int FPS = 30;
    private static final int FRAMES = 20;
    private static final int SLOTS = 3;
    /** Slack for the JVM's own mallocs (JIT, class loading) between two readings. */
    private static final long SLACK_BYTES = 8L << 20;

    @Test
    void nativeMemoryReturnsToBaselineAfterLadderOpenEncodeCloseCycles() throws Exception {
        try (Arena arena = Arena.ofShared()) {
            MemorySegment[] slots = new MemorySegment[SLOTS];
            for (int i = 0; i < SLOTS; i++) {
                slots[i] = arena.allocate(InputFormat.YUV420P.frameBytes(WIDTH, HEIGHT), 64);
                TestPatterns.fillI420(slots[i], WIDTH, HEIGHT, i);
            }
            cycleOnItsOwnThread(slots); // first opens: FFmpeg's one-time tables, JIT
            cycleOnItsOwnThread(slots);
            long baseline = NativeHeap.inUseBytes();
            long peak = 0;
            int cycles = 5;
            for (int i = 0; i < cycles; i++) {
                peak = Math.max(peak, cycleOnItsOwnThread(slots) - baseline);
            }
            long left = NativeHeap.inUseBytes() - baseline;
            // the check can fail: one ladder left open holds far more than the slack
            assertTrue(peak > 4 * SLACK_BYTES, "an open ladder holds only " + peak + " bytes: the probe sees nothing");
            assertTrue(left < SLACK_BYTES, cycles + " open/encode/close cycles left " + left
                    + " bytes in use (an open ladder holds " + peak + ")");
        }
    }

    /** Opens a 720p/480p/360p ladder, encodes and flushes, closes; returns malloc's bytes in use while it was open. */
    private static long cycleOnItsOwnThread(MemorySegment[] slots) throws InterruptedException {
        AtomicLong openBytes = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread worker = Thread.ofPlatform().name("memory-cycle").start(() -> {
            try (LadderEncoder ladder = LadderEncoder.open(settings(), new EncoderSelector(HardwareMode.SOFTWARE,
                    false))) {
                for (int frame = 0; frame < FRAMES; frame++) {
                    ladder.submit(slots[frame % SLOTS], frame * ladder.settings().frameDurationUs(), false);
                    for (int r = 0; r < ladder.renditionCount(); r++) {
                        ladder.drain(r, packet -> { });
                    }
                }
                openBytes.set(NativeHeap.inUseBytes());
                for (int r = 0; r < ladder.renditionCount(); r++) {
                    ladder.flush(r, packet -> { });
                }
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        worker.join();
        if (failure.get() != null) {
            throw new AssertionError("ladder cycle failed", failure.get());
        }
        return openBytes.get();
    }

    private static LadderSettings settings() {
        List<VideoEncoderSettings> renditions = List.of(
                new VideoEncoderSettings(VideoCodec.H264, 1280, 720, FPS, 2_500_000, FPS, "veryfast", "zerolatency",
                        null, 0),
                new VideoEncoderSettings(VideoCodec.H264, 854, 480, FPS, 1_200_000, FPS, "veryfast", "zerolatency",
                        null, 0),
                new VideoEncoderSettings(VideoCodec.H264, 640, 360, FPS, 600_000, FPS, "veryfast", "zerolatency",
                        null, 0));
        return new LadderSettings(InputFormat.YUV420P, WIDTH, HEIGHT, FPS, FPS, renditions);
    }
}
