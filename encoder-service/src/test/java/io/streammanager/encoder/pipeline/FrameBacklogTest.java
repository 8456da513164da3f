package io.streammanager.encoder.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.streammanager.bus.shm.FrameGeometry;
import io.streammanager.bus.shm.FrameRingReader;
import io.streammanager.bus.shm.FrameRingWriter;
import io.streammanager.bus.shm.FrameView;
import io.streammanager.bus.shm.PixelFormat;
import io.streammanager.bus.shm.RingFiles;
import io.streammanager.encoder.testing.ShmTestDir;

class FrameBacklogTest {

    @Test
    void backlogCountsFramesPublishedButNotYetReadByTheEncoder() {
        FrameGeometry geometry = new FrameGeometry(64, 32, PixelFormat.I420, 30);
        try (ShmTestDir shm = ShmTestDir.create()) {
            Path file = RingFiles.frameRing(shm.path(), "backlog");
            try (FrameRingWriter writer = FrameRingWriter.create(file, geometry, 8);
                 FrameRingReader reader = FrameRingReader.open(file, Duration.ofSeconds(1));
                 FrameBacklog backlog = FrameBacklog.map(file)) {
                assertEquals(0, backlog.waiting(reader.nextSequence()));
                for (int i = 0; i < 3; i++) {
                    writer.claim();
                    writer.publish(i * 33_333L, 0);
                }
                assertEquals(3, backlog.waiting(reader.nextSequence()));
                FrameView view = new FrameView();
                assertEquals(FrameRingReader.FRAME, reader.poll(view));
                assertEquals(2, backlog.waiting(reader.nextSequence()));
                writer.closeAndDelete();
            }
        }
    }
}
