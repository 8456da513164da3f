package io.streammanager.encoder.testing;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import io.streammanager.bus.shm.PacketRingReader;
import io.streammanager.bus.shm.PacketView;
import io.streammanager.bus.shm.Track;

/** Reads a packet ring on its own thread and keeps a copy of every record, for assertions. */
public final class PacketCollector implements AutoCloseable {

    /** One record as read from the ring. */
    public record Record(Track track, int rendition, boolean codecConfig, boolean keyframe, long ptsUs, long dtsUs,
                         long durationUs, long captureEpochUs, byte[] payload) {

        public boolean video() {
            return track == Track.VIDEO;
        }

        public boolean audio() {
            return track == Track.AUDIO;
        }

        /** A media packet (not a config) of the video track. */
        public boolean videoPacket() {
            return video() && !codecConfig;
        }

        /** A media packet (not a config) of the audio track. */
        public boolean audioPacket() {
            return audio() && !codecConfig;
        }
    }

    private final PacketRingReader reader;
    private final List<Record> records = new ArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    private PacketCollector(PacketRingReader reader) {
        this.reader = reader;
        this.thread = Thread.ofPlatform().name("packet-collector").start(this::run);
    }

    public static PacketCollector open(Path packetRing, Duration timeout) {
        return new PacketCollector(PacketRingReader.open(packetRing, timeout));
    }

    private void run() {
        PacketView view = new PacketView();
        while (running) {
            if (reader.await(view, TimeUnit.MILLISECONDS.toNanos(20)) != PacketRingReader.PACKET) {
                continue;
            }
            Record record = new Record(view.track(), view.rendition(), view.codecConfig(), view.keyframe(), view.ptsUs(), view.dtsUs(),
                    view.durationUs(), view.captureEpochUs(), view.payloadBytes());
            if (reader.stillValid(view)) {
                synchronized (records) {
                    records.add(record);
                }
            }
        }
    }

    public List<Record> records() {
        synchronized (records) {
            return List.copyOf(records);
        }
    }

    /** Waits until {@code condition} holds for the records so far; returns whether it did within the timeout. */
    public boolean awaitRecords(Predicate<List<Record>> condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.test(records())) {
                return true;
            }
            Thread.sleep(10);
        }
        return condition.test(records());
    }

    public static long videoPackets(List<Record> records) {
        return records.stream().filter(Record::videoPacket).count();
    }

    /** The video track's records (configs and packets) in ring order. */
    public static List<Record> videoTrack(List<Record> records) {
        return records.stream().filter(Record::video).toList();
    }

    /** The audio track's records (configs and packets) in ring order. */
    public static List<Record> audioTrack(List<Record> records) {
        return records.stream().filter(Record::audio).toList();
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(2_000);
        reader.close();
    }
}
