package io.streammanager.muxer.testing;

import io.streammanager.muxer.output.Output;
import io.streammanager.muxer.output.PacketPool;
import io.streammanager.muxer.output.SharedPacket;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Offers encoded packets to outputs at the stream's frame rate, looping with growing timestamps and a fresh capture
 * time, as the distributor would, until closed. Outputs can join while it runs.
 */
public final class LiveFeed implements AutoCloseable {
    private final SyntheticH264.Encoded encoded;
    private final List<Output> outputs = new CopyOnWriteArrayList<>();
    private final PacketPool pool = new PacketPool(16);
    private final Thread thread;
    private volatile boolean running = true;

    private LiveFeed(SyntheticH264.Encoded encoded) {
        this.encoded = encoded;
        this.thread = Thread.ofPlatform().daemon(true).name("test-live-feed").unstarted(this::run);
    }

    public static LiveFeed start(SyntheticH264.Encoded encoded, Output... outputs) {
        LiveFeed feed = new LiveFeed(encoded);
        feed.outputs.addAll(List.of(outputs));
        feed.thread.start();
        return feed;
    }

    public void add(Output output) {
        outputs.add(output);
    }

    private void run() {
        long frameNs = TimeUnit.MICROSECONDS.toNanos(encoded.frameDurationUs());
        int count = encoded.packets().size();
        long startNs = System.nanoTime();
        for (long i = 0; running; i++) {
            SyntheticH264.EncodedPacket source = encoded.packets().get((int) (i % count));
            long loopUs = (i / count) * count * encoded.frameDurationUs();
            SharedPacket packet = pool.acquire(source.data().length, source.keyframe(), source.ptsUs() + loopUs,
                    source.dtsUs() + loopUs, source.durationUs(), System.currentTimeMillis() * 1000,
                    source.keyframe() ? encoded.config() : null);
            packet.payload().copyFrom(MemorySegment.ofArray(source.data()));
            for (Output output : outputs) {
                output.offer(packet);
            }
            packet.release();
            long waitNs;
            while (running && (waitNs = startNs + (i + 1) * frameNs - System.nanoTime()) > 0) {
                LockSupport.parkNanos(waitNs);
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(2_000);
    }
}
