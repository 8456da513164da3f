package io.streammanager.muxer.testing;

import io.streammanager.muxer.output.ConnectionStart;
import io.streammanager.muxer.output.OutputTarget;
import io.streammanager.muxer.output.PacketSink;
import io.streammanager.muxer.output.SharedPacket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** A hand-written sink: records what it was given, optionally taking {@code writeDelayMs} per packet (a slow peer). */
public final class RecordingSink implements PacketSink {
    /** One written packet: the source pts (composition clock), the rebased dts, and the keyframe flag. */
    public record Written(long sourcePtsUs, long dtsUs, boolean keyframe) {
    }

    private final List<Written> written;
    private final long writeDelayMs;

    private RecordingSink(List<Written> written, long writeDelayMs) {
        this.written = written;
        this.writeDelayMs = writeDelayMs;
    }

    /** A factory whose sinks all append to {@code written}. */
    public static PacketSink.Factory factory(List<Written> written, long writeDelayMs) {
        return factory(written, writeDelayMs, new java.util.concurrent.atomic.AtomicInteger());
    }

    /** Same, counting the connections opened in {@code opens}. */
    public static PacketSink.Factory factory(List<Written> written, long writeDelayMs,
                                             java.util.concurrent.atomic.AtomicInteger opens) {
        return (OutputTarget target, ConnectionStart start, BooleanSupplier abort) -> {
            opens.incrementAndGet();
            return new RecordingSink(written, writeDelayMs);
        };
    }

    public static List<Written> newLog() {
        return new CopyOnWriteArrayList<>();
    }

    @Override
    public void write(SharedPacket packet, long ptsUs, long dtsUs) {
        if (writeDelayMs > 0) {
            try {
                TimeUnit.MILLISECONDS.sleep(writeDelayMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        written.add(new Written(packet.ptsUs(), dtsUs, packet.keyframe()));
    }

    @Override
    public void finish() {
    }

    @Override
    public void close() {
    }
}
