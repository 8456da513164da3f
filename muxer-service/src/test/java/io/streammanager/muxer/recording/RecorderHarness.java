package io.streammanager.muxer.recording;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.streammanager.muxer.output.Output;
import io.streammanager.muxer.output.OutputListener;
import io.streammanager.muxer.output.OutputQueue;
import io.streammanager.muxer.output.OutputTarget;
import io.streammanager.muxer.output.RetryPolicy;
import io.streammanager.muxer.testing.LiveFeed;
import io.streammanager.muxer.testing.SyntheticH264;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A recording output fed live at 30 fps: what the muxer runs for a {@code record:} output, without the service around
 * it. Its {@link #main} runs one in a process of its own, for the SIGKILL test.
 */
final class RecorderHarness implements AutoCloseable {
    final RecordingStore store;
    final Output output;
    private final LiveFeed feed;

    RecorderHarness(Path root, String recordingId, Duration segment, SyntheticH264.Encoded encoded) {
        store = new RecordingStore(root, new ObjectMapper());
        output = new Output("s1", new OutputTarget("rec", RecordTargets.SCHEME + recordingId,
                RecordTargets.format(encoded.config().codec()), false),
                new OutputQueue(180, 16 << 20),
                RecordingSink.factory(store, "s1", "main", segment, Duration.ofSeconds(5), Duration.ofSeconds(5)),
                RetryPolicy.of(Duration.ofMillis(100), Duration.ofSeconds(1), 0), OutputListener.NONE);
        output.start();
        feed = LiveFeed.start(encoded, output);
    }

    @Override
    public void close() throws InterruptedException {
        feed.close();
        output.requestStop();
        output.awaitStopped(Duration.ofSeconds(5));
    }

    /** Records into {@code args[0]} (recording "crash", stream "s1") until killed. */
    public static void main(String[] args) throws Exception {
        SyntheticH264.Encoded encoded = SyntheticH264.encode(320, 240, 30, 90);
        try (RecorderHarness harness = new RecorderHarness(Path.of(args[0]), "crash", Duration.ofHours(1), encoded)) {
            System.out.println("recording");
            Thread.sleep(Duration.ofMinutes(5)); // the test kills this process long before
        }
    }
}
