package io.streammanager.muxer.testing;

import io.streammanager.bus.shm.PacketFlags;
import io.streammanager.bus.shm.PacketRingWriter;
import io.streammanager.bus.shm.RingFiles;
import io.streammanager.bus.shm.Track;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * Plays encoded packets into a real packet ring in a temp dir under /dev/shm, paced at the stream's frame rate, the
 * way the encoder service does: a CODEC_CONFIG record right before every keyframe, captureEpochUs = wall clock.
 * With audio, also like the encoder: the AUDIO config before the VIDEO config before every keyframe, and after each
 * video frame the AAC packets that bring the audio track up to that frame's end (carrying its capture time).
 * Loops over the packets (timestamps keep growing) until closed; close deletes the ring and the temp dir.
 */
public final class PacketRingFeeder implements AutoCloseable {
    private final Path shmRoot;
    private final String streamId;
    private final boolean ownsRoot;
    private final PacketRingWriter writer;
    private final SyntheticH264.Encoded encoded;
    private final SyntheticAac.Encoded audio;
    /** A second rendition written beside the main one (same frame count and GOP), or null. */
    private SyntheticH264.Encoded second;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long appended;

    private PacketRingFeeder(Path shmRoot, String streamId, SyntheticH264.Encoded encoded, SyntheticAac.Encoded audio,
                             boolean ownsRoot) throws IOException {
        this.audio = audio;
        this.shmRoot = shmRoot;
        this.streamId = streamId;
        this.ownsRoot = ownsRoot;
        this.encoded = encoded;
        Path ring = RingFiles.packetRing(shmRoot, streamId);
        Files.createDirectories(ring.getParent());
        this.writer = PacketRingWriter.create(ring, 4 << 20);
        this.thread = Thread.ofPlatform().daemon(true).name("test-ring-feeder-" + streamId).unstarted(this::run);
    }

    /** Creates the ring under a new temp dir in /dev/shm and starts feeding. */
    public static PacketRingFeeder start(String streamId, SyntheticH264.Encoded encoded) throws IOException {
        return start(Files.createTempDirectory(Path.of("/dev/shm"), "muxer-test-"), streamId, encoded, null, true);
    }

    /** Same with an AAC track beside the video. */
    public static PacketRingFeeder start(String streamId, SyntheticH264.Encoded encoded, SyntheticAac.Encoded audio)
            throws IOException {
        return start(Files.createTempDirectory(Path.of("/dev/shm"), "muxer-test-"), streamId, encoded, audio, true);
    }

    /** Creates the ring under an existing {@code shmRoot}; close deletes only the stream's own directory. */
    public static PacketRingFeeder start(Path shmRoot, String streamId, SyntheticH264.Encoded encoded)
            throws IOException {
        return start(shmRoot, streamId, encoded, null, false);
    }

    /** Two renditions like the encoder writes a ladder: each frame of {@code main} (rendition 0), then {@code second}'s. */
    public static PacketRingFeeder startLadder(String streamId, SyntheticH264.Encoded main,
                                               SyntheticH264.Encoded second) throws IOException {
        if (main.packets().size() != second.packets().size()) {
            throw new IllegalArgumentException("renditions need the same frames: " + main.packets().size() + " vs "
                    + second.packets().size());
        }
        PacketRingFeeder feeder = new PacketRingFeeder(Files.createTempDirectory(Path.of("/dev/shm"), "muxer-test-"),
                streamId, main, null, true);
        feeder.second = second;
        feeder.thread.start();
        return feeder;
    }

    private static PacketRingFeeder start(Path shmRoot, String streamId, SyntheticH264.Encoded encoded,
                                          SyntheticAac.Encoded audio, boolean ownsRoot) throws IOException {
        PacketRingFeeder feeder = new PacketRingFeeder(shmRoot, streamId, encoded, audio, ownsRoot);
        feeder.thread.start();
        return feeder;
    }

    private void run() {
        byte[] config = encoded.config().encode();
        byte[] audioConfig = audio == null ? null : audio.config().encode();
        long audioPackets = 0;
        long frameNs = TimeUnit.MICROSECONDS.toNanos(encoded.frameDurationUs());
        long loopDurationUs = encoded.packets().size() * encoded.frameDurationUs();
        long startNs = System.nanoTime();
        long n = 0;
        while (running) {
            int index = (int) (n % encoded.packets().size());
            long loopOffsetUs = (n / encoded.packets().size()) * loopDurationUs;
            SyntheticH264.EncodedPacket packet = encoded.packets().get(index);
            long ptsUs = packet.ptsUs() + loopOffsetUs;
            long dtsUs = packet.dtsUs() + loopOffsetUs;
            long captureUs = epochMicros();
            // a loop restart must start at a keyframe: the list begins with one
            if (packet.keyframe()) {
                if (audioConfig != null) {
                    writer.append(Track.AUDIO, 0, PacketFlags.CODEC_CONFIG, ptsUs, dtsUs, 0, captureUs, audioConfig,
                            0, audioConfig.length);
                }
                writer.append(Track.VIDEO, 0, PacketFlags.CODEC_CONFIG, ptsUs, dtsUs, 0, captureUs, config, 0,
                        config.length);
            }
            writer.append(Track.VIDEO, 0, packet.keyframe() ? PacketFlags.KEYFRAME : PacketFlags.NONE, ptsUs, dtsUs,
                    packet.durationUs(), captureUs, packet.data(), 0, packet.data().length);
            if (second != null) {
                SyntheticH264.EncodedPacket other = second.packets().get(index);
                if (other.keyframe()) {
                    byte[] secondConfig = second.config().encode();
                    writer.append(Track.VIDEO, 1, PacketFlags.CODEC_CONFIG, ptsUs, dtsUs, 0, captureUs, secondConfig,
                            0, secondConfig.length);
                }
                writer.append(Track.VIDEO, 1, other.keyframe() ? PacketFlags.KEYFRAME : PacketFlags.NONE,
                        other.ptsUs() + loopOffsetUs, other.dtsUs() + loopOffsetUs, other.durationUs(), captureUs,
                        other.data(), 0, other.data().length);
            }
            if (audio != null) {
                long frameEndUs = ptsUs + packet.durationUs();
                while (audioPts(audioPackets) < frameEndUs) { // audio written so far ends before this frame does
                    byte[] aac = audio.packets().get((int) (audioPackets % audio.packets().size()));
                    long audioPtsUs = audioPts(audioPackets);
                    writer.append(Track.AUDIO, 0, PacketFlags.KEYFRAME, audioPtsUs, audioPtsUs,
                            audioPts(audioPackets + 1) - audioPtsUs, captureUs, aac, 0, aac.length);
                    audioPackets++;
                }
            }
            writer.heartbeat();
            appended = ++n;
            long nextNs = startNs + n * frameNs;
            long waitNs;
            while (running && (waitNs = nextNs - System.nanoTime()) > 0) {
                LockSupport.parkNanos(waitNs);
            }
        }
    }

    private static long audioPts(long packetIndex) {
        return packetIndex * SyntheticAac.FRAME_SAMPLES * 1_000_000L / SyntheticAac.SAMPLE_RATE;
    }

    public Path shmRoot() {
        return shmRoot;
    }

    public long appended() {
        return appended;
    }

    private static long epochMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(2_000);
        writer.closeAndDelete();
        Path toDelete = ownsRoot ? shmRoot : RingFiles.streamDir(shmRoot, streamId);
        if (!Files.exists(toDelete)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(toDelete)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
