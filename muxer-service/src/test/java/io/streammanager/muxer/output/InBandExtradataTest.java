package io.streammanager.muxer.output;

import io.streammanager.bus.testing.FreePorts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streammanager.muxer.testing.Await;
import io.streammanager.muxer.testing.FfmpegCli;
import io.streammanager.muxer.testing.RecordingListener;
import io.streammanager.muxer.testing.SyntheticH264;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The encoder reopened with another x264 preset (same codec and size, new SPS/PPS): the output keeps its connection
 * and sends the new decoder configuration in-band (a second AVC sequence header), and every frame decodes.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class InBandExtradataTest {
    @TempDir
    Path workDir;

    @Test
    void aNewDecoderConfigurationGoesInBandOnTheSameConnection() throws Exception {
        SyntheticH264.Encoded fast = SyntheticH264.encode(320, 240, 30, 60, "ultrafast");
        SyntheticH264.Encoded slower = SyntheticH264.encode(320, 240, 30, 60, "veryfast");
        assertFalse(Arrays.equals(fast.config().extradata(), slower.config().extradata()), "presets differ");
        int port = FreePorts.next();
        Path received = workDir.resolve("received.flv");
        RecordingListener listener = new RecordingListener();
        long writtenPackets;
        try (FfmpegCli.Listener server = FfmpegCli.copyToFlv(port, received)) {
            Output output = new Output("s1", new OutputTarget("platform", "rtmp://127.0.0.1:" + port + "/live/x",
                    "flv", false), new OutputQueue(180, 16 << 20), FfmpegMuxer.factory(Duration.ofSeconds(3),
                    Duration.ofSeconds(3)), RetryPolicy.of(Duration.ofMillis(100), Duration.ofMillis(400), 0),
                    listener);
            output.start();
            PacketPool pool = new PacketPool(16);
            long startNs = System.nanoTime();
            // the first preset until the output is LIVE (the listener may come up after the first attempt) and a
            // GOP more, then the second preset with continuing timestamps
            int index = 0;
            int liveGops = 0;
            while (liveGops < 2) {
                assertTrue(index < 30 * 60, "LIVE within a minute: " + output.status());
                index = offer(output, pool, fast, index, startNs);
                liveGops = output.state() == OutputState.LIVE ? liveGops + 1 : 0;
            }
            long writtenBeforeSwitch = output.status().packetsWritten();
            int switchIndex = index;
            index = offer(output, pool, slower, index, startNs);
            int total = index;
            assertTrue(Await.until(Duration.ofSeconds(5), () -> output.status().packetsWritten()
                    >= writtenBeforeSwitch + (total - switchIndex)), "all written: " + output.status());
            output.requestStop();
            assertTrue(output.awaitStopped(Duration.ofSeconds(2)));
            writtenPackets = output.status().packetsWritten();
            assertTrue(server.awaitExit(10, TimeUnit.SECONDS), "the listener saw the publisher leave");
        }
        List<OutputState> states = listener.statesOf("platform");
        assertEquals(List.of(OutputState.LIVE, OutputState.STOPPED),
                states.subList(states.indexOf(OutputState.LIVE), states.size()), "one connection once LIVE");
        List<byte[]> headers = avcSequenceHeaders(received);
        assertEquals(2, headers.size(), "a second AVC sequence header in-band");
        assertFalse(Arrays.equals(headers.get(0), headers.get(1)));
        FfmpegCli.FrameMd5 decoded = FfmpegCli.decodeFile(received, workDir);
        assertEquals(writtenPackets, decoded.count(), "every frame decodes");
        String decodeLog = Files.readString(workDir.resolve("received.flv.framemd5.log"));
        assertFalse(decodeLog.contains("non-existing PPS") || decodeLog.contains("decode_slice_header error"),
                decodeLog);
    }

    /** Offers one pass over {@code encoded} at its frame rate, frame numbers from {@code index}; returns the next. */
    private static int offer(Output output, PacketPool pool, SyntheticH264.Encoded encoded, int index, long startNs)
            throws InterruptedException {
        long frameUs = encoded.frameDurationUs();
        for (SyntheticH264.EncodedPacket source : encoded.packets()) {
            long offsetUs = (long) (index - source.index()) * frameUs;
            SharedPacket packet = pool.acquire(source.data().length, source.keyframe(), source.ptsUs() + offsetUs,
                    source.dtsUs() + offsetUs, source.durationUs(), System.currentTimeMillis() * 1000,
                    source.keyframe() ? encoded.config() : null);
            packet.payload().copyFrom(MemorySegment.ofArray(source.data()));
            output.offer(packet);
            packet.release();
            index++;
            long sleepNs = startNs + index * TimeUnit.MICROSECONDS.toNanos(frameUs) - System.nanoTime();
            if (sleepNs > 0) {
                TimeUnit.NANOSECONDS.sleep(sleepNs);
            }
        }
        return index;
    }

    /** The payloads of the FLV's AVC sequence header tags (video tag, AVCPacketType 0), in file order. */
    private static List<byte[]> avcSequenceHeaders(Path flv) throws IOException {
        ByteBuffer file = ByteBuffer.wrap(Files.readAllBytes(flv));
        file.position(file.getInt(5)); // DataOffset: the header's size
        List<byte[]> headers = new ArrayList<>();
        while (file.remaining() >= 4 + 11) {
            file.getInt(); // PreviousTagSize
            int type = file.get() & 0x1f;
            int size = (file.get() & 0xff) << 16 | (file.get() & 0xff) << 8 | (file.get() & 0xff);
            file.position(file.position() + 7); // timestamp (4), stream id (3)
            if (file.remaining() < size) {
                break;
            }
            byte[] data = new byte[size];
            file.get(data);
            if (type == 9 && size > 2 && (data[0] & 0x0f) == 7 && data[1] == 0) {
                headers.add(Arrays.copyOfRange(data, 5, data.length));
            }
        }
        return headers;
    }
}
