package io.streammanager.muxer.pipeline;

import io.streammanager.bus.shm.CodecConfig;
import io.streammanager.bus.shm.PacketRingReader;
import io.streammanager.bus.shm.PacketView;
import io.streammanager.bus.shm.RingUnavailableException;
import io.streammanager.bus.shm.Track;
import io.streammanager.muxer.output.ErrorCategory;
import io.streammanager.muxer.output.Output;
import io.streammanager.muxer.output.OutputState;
import io.streammanager.muxer.output.OutputStatus;
import io.streammanager.muxer.output.PacketPool;
import io.streammanager.muxer.output.SharedPacket;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * One stream's distributor: a single thread that reads the stream's packet ring, copies each packet once into a
 * pooled buffer and offers it to the bounded queue of every output that carries it: a video packet to the outputs of
 * its rendition, the audio track (which rides with the main rendition) to all. Each video keyframe carries the newest
 * config of its rendition and of the audio, so an output can start there with everything it needs. It never waits
 * for an output, so a slow or dead output cannot stall it or the others.
 */
public final class StreamPipeline {
    private static final Logger LOG = Logger.getLogger(StreamPipeline.class);
    private static final long AWAIT_NS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final Duration OPEN_SLICE = Duration.ofMillis(250);
    /** A ring whose producer stopped beating this long is reopened (the encoder may have made a new file). */
    private static final long STALE_PRODUCER_MS = 3_000;
    /** Renditions the packet ring can tell apart (its codec config table's width). */
    private static final int MAX_RENDITIONS = io.streammanager.bus.shm.PacketRingDescriptor.CONFIG_TABLE_RENDITIONS;
    /** While no packet comes, how often to check that the ring file is still the one we mapped. */
    private static final long FILE_CHECK_NS = TimeUnit.MILLISECONDS.toNanos(500);

    private final String streamId;
    private final Path ringFile;
    private final Duration ringOpenTimeout;
    /** Copy-on-write: the distributor reads the current array per packet; add/remove swap it. */
    private volatile Output[] outputs;
    private final Object outputsLock = new Object();
    private final PacketPool pool;
    /** Outputs the spec disabled: no connection, their last status kept (as many as the spec has outputs). */
    private final Map<String, OutputStatus> paused = new ConcurrentHashMap<>();
    private final Consumer<ErrorCategory> errors;
    private final Thread thread;

    private volatile boolean stopRequested;
    private volatile long lastLoopNanos = System.nanoTime();
    private volatile long packetsDistributed;
    private volatile long tornPackets;
    private volatile boolean ringOpen;

    public StreamPipeline(String streamId, Path ringFile, Duration ringOpenTimeout, List<Output> outputs,
                          PacketPool pool) {
        this(streamId, ringFile, ringOpenTimeout, outputs, pool, category -> { });
    }

    /** @param errors told about the distributor's own errors (unreadable codec config, packets it cannot hold) */
    public StreamPipeline(String streamId, Path ringFile, Duration ringOpenTimeout, List<Output> outputs,
                          PacketPool pool, Consumer<ErrorCategory> errors) {
        this.errors = Objects.requireNonNull(errors, "errors");
        this.streamId = Objects.requireNonNull(streamId, "streamId");
        this.ringFile = Objects.requireNonNull(ringFile, "ringFile");
        this.ringOpenTimeout = Objects.requireNonNull(ringOpenTimeout, "ringOpenTimeout");
        this.outputs = outputs.toArray(Output[]::new);
        this.pool = Objects.requireNonNull(pool, "pool");
        this.thread = Thread.ofPlatform().daemon(true).name("muxer-distributor-" + streamId).unstarted(this::run);
    }

    public void start() {
        for (Output output : outputs) {
            output.start();
        }
        thread.start();
    }

    public void requestStop() {
        stopRequested = true;
        synchronized (outputsLock) {
            for (Output output : outputs) {
                output.requestStop();
            }
        }
    }

    /** Adds and starts an output while the stream runs; it joins at the next keyframe. */
    public void addOutput(Output output) {
        synchronized (outputsLock) {
            if (stopRequested) {
                throw new IllegalStateException("stream " + streamId + " is stopping");
            }
            Output[] next = java.util.Arrays.copyOf(outputs, outputs.length + 1);
            next[outputs.length] = output;
            output.start();
            outputs = next;
        }
    }

    /** Removes an output while the stream runs and stops it (trailer where possible); null if there is none. */
    public Output removeOutput(String outputId, Duration timeout) throws InterruptedException {
        Output removed = null;
        synchronized (outputsLock) {
            List<Output> remaining = new ArrayList<>();
            for (Output output : outputs) {
                if (removed == null && output.id().equals(outputId)) {
                    removed = output;
                } else {
                    remaining.add(output);
                }
            }
            if (removed == null) {
                return null;
            }
            outputs = remaining.toArray(Output[]::new);
        }
        removed.requestStop();
        removed.awaitStopped(timeout);
        return removed;
    }

    /**
     * Puts a fresh output in the place of {@code old} (a FAILED one, whose thread is over) and starts it.
     *
     * @return false if {@code old} is no longer an output of this stream
     */
    public boolean replaceOutput(Output old, Output fresh) {
        synchronized (outputsLock) {
            if (stopRequested) {
                return false;
            }
            Output[] next = outputs.clone();
            for (int i = 0; i < next.length; i++) {
                if (next[i] == old) {
                    next[i] = fresh;
                    old.requestStop();
                    fresh.start();
                    outputs = next;
                    return true;
                }
            }
            return false;
        }
    }

    /** Lists an output as PAUSED (with the counters of {@code last}); it has no connection and gets no packets. */
    public void markPaused(OutputStatus last) {
        paused.put(last.id(), last.withState(OutputState.PAUSED,
                System.currentTimeMillis()));
    }

    /** Forgets a paused output (it resumes, or left the spec); false if it was not paused. */
    public boolean forgetPaused(String outputId) {
        return paused.remove(outputId) != null;
    }

    public Set<String> pausedIds() {
        return Set.copyOf(paused.keySet());
    }

    /** Stops the distributor and every output (trailers where possible) within {@code timeout}. */
    public boolean awaitStopped(Duration timeout) throws InterruptedException {
        long deadlineNs = System.nanoTime() + timeout.toNanos();
        boolean all = true;
        for (Output output : outputs) { // they stop in parallel: each only waits for what is left of the budget
            all &= output.awaitStopped(Duration.ofNanos(Math.max(deadlineNs - System.nanoTime(), 1)));
        }
        all &= thread.join(Duration.ofNanos(Math.max(deadlineNs - System.nanoTime(), 1)));
        return all;
    }

    private void run() {
        PacketView view = new PacketView();
        long unavailableSinceNs = System.nanoTime();
        boolean warned = false;
        while (!stopRequested) {
            lastLoopNanos = System.nanoTime();
            PacketRingReader reader;
            try {
                reader = PacketRingReader.open(ringFile, OPEN_SLICE);
            } catch (RingUnavailableException e) {
                if (!warned && System.nanoTime() - unavailableSinceNs > ringOpenTimeout.toNanos()) {
                    LOG.warnf("stream %s: packet ring %s not ready after %s, still waiting for the encoder",
                            streamId, ringFile, ringOpenTimeout);
                    warned = true;
                }
                continue;
            }
            try (reader) {
                ringOpen = true;
                LOG.infof("stream %s: reading packet ring %s (generation %d)", streamId, ringFile,
                        reader.generation());
                distribute(reader, view);
            } catch (RuntimeException e) {
                LOG.errorf(e, "stream %s: distributor failed on %s, reopening", streamId, ringFile);
                sleepQuietly(OPEN_SLICE);
            } finally {
                ringOpen = false;
            }
            unavailableSinceNs = System.nanoTime();
            warned = false;
        }
    }

    private void distribute(PacketRingReader reader, PacketView view) {
        // per rendition: its newest video config; null until (or when it must wait for) its next keyframe
        CodecConfig[] configs = new CodecConfig[MAX_RENDITIONS];
        CodecConfig audioConfig = null;
        long openedAtNs = System.nanoTime();
        Object openedFile = fileKey();
        long nextFileCheckNs = openedAtNs + FILE_CHECK_NS;
        while (!stopRequested) {
            int result = reader.await(view, AWAIT_NS);
            lastLoopNanos = System.nanoTime();
            if (result == PacketRingReader.GENERATION_CHANGED) {
                LOG.infof("stream %s: encoder restarted (generation %d), resynchronising at its next keyframe",
                        streamId, reader.generation());
                java.util.Arrays.fill(configs, null);
                audioConfig = null;
                continue;
            }
            if (result != PacketRingReader.PACKET) {
                if (System.nanoTime() - nextFileCheckNs > 0) {
                    nextFileCheckNs = System.nanoTime() + FILE_CHECK_NS;
                    Object currentFile = fileKey();
                    if (currentFile == null || !currentFile.equals(openedFile)) {
                        // the encoder restarted with a new file: ours is the deleted one, nothing more comes
                        LOG.infof("stream %s: packet ring file replaced, reopening", streamId);
                        return;
                    }
                }
                if (System.nanoTime() - openedAtNs > TimeUnit.MILLISECONDS.toNanos(STALE_PRODUCER_MS)
                        && reader.producerHeartbeatAgeMs() > STALE_PRODUCER_MS) {
                    LOG.infof("stream %s: encoder silent for %d ms, reopening the packet ring", streamId,
                            reader.producerHeartbeatAgeMs());
                    return;
                }
                continue;
            }
            Track track = view.track();
            int rendition = view.rendition();
            if (track == null || rendition < 0 || rendition >= MAX_RENDITIONS) {
                continue;
            }
            if (view.codecConfig()) {
                CodecConfig decoded = decodeConfig(view);
                if (reader.stillValid(view)) {
                    if (decoded == null) {
                        errors.accept(ErrorCategory.FORMAT_CONVERSION); // intact but unreadable: a real error
                    }
                    if (track == Track.VIDEO) {
                        configs[rendition] = decoded;
                    } else {
                        audioConfig = decoded; // the same track, repeated before every rendition's keyframes
                    }
                }
                continue;
            }
            CodecConfig config = track == Track.VIDEO ? configs[rendition] : null;
            if (track == Track.VIDEO ? config == null : audioConfig == null) {
                continue; // not yet at the codec configs + keyframe
            }
            if (track == Track.VIDEO && !carried(rendition)) {
                continue; // a rendition no output of this stream carries: not worth a copy
            }
            SharedPacket packet = acquire(view, config, audioConfig);
            if (packet == null) {
                if (track == Track.VIDEO) {
                    configs[rendition] = null; // no P-frames whose reference is missing: wait for a keyframe
                }
                continue;
            }
            try {
                view.copyPayloadTo(packet.payload(), 0);
                if (!reader.stillValid(view)) {
                    tornPackets++;
                    java.util.Arrays.fill(configs, null); // the reader resyncs at the next codec configs
                    continue;
                }
                for (Output output : outputs) {
                    if (track == Track.AUDIO || output.target().rendition() == rendition) {
                        output.offer(packet);
                    }
                }
                packetsDistributed++;
            } finally {
                packet.release();
            }
        }
    }

    private boolean carried(int rendition) {
        for (Output output : outputs) {
            if (output.target().rendition() == rendition) {
                return true;
            }
        }
        return false;
    }

    /** The ring file's identity (inode), or null if it is gone. */
    private Object fileKey() {
        try {
            return Files.readAttributes(ringFile, BasicFileAttributes.class).fileKey();
        } catch (IOException e) {
            return null;
        }
    }

    /** A pooled copy target for the view's payload, or null (counted) if it cannot be had. */
    private SharedPacket acquire(PacketView view, CodecConfig config, CodecConfig audioConfig) {
        if (view.payloadLength() > PacketPool.maxPacketBytes()) {
            LOG.warnf("stream %s: packet of %d bytes exceeds maxPacketBytes=%d, skipping to the next keyframe",
                    streamId, view.payloadLength(), PacketPool.maxPacketBytes());
            errors.accept(ErrorCategory.RESOURCE_LIMITATION);
            return null;
        }
        try {
            // GOPs are cut at video keyframes; every AAC frame is a sync point but starts nothing
            boolean keyframe = view.track() == Track.VIDEO && view.keyframe();
            return pool.acquire(view.track(), view.payloadLength(), keyframe, view.ptsUs(), view.dtsUs(),
                    view.durationUs(), view.captureEpochUs(), keyframe ? config : null,
                    keyframe ? audioConfig : null);
        } catch (OutOfMemoryError e) {
            LOG.warnf("stream %s: no memory for a %d-byte packet, skipping to the next keyframe", streamId,
                    view.payloadLength());
            errors.accept(ErrorCategory.RESOURCE_LIMITATION);
            return null;
        }
    }

    private CodecConfig decodeConfig(PacketView view) {
        try {
            return CodecConfig.decode(view.payload());
        } catch (RuntimeException e) {
            LOG.debugf("stream %s: unreadable codec config record: %s", streamId, e.getMessage());
            return null;
        }
    }

    private static void sleepQuietly(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public String streamId() {
        return streamId;
    }

    public List<Output> outputs() {
        return List.of(outputs);
    }

    public List<OutputStatus> outputStatuses() {
        Output[] current = outputs;
        List<OutputStatus> statuses = new ArrayList<>(current.length);
        for (Output output : current) {
            statuses.add(output.status());
        }
        statuses.addAll(paused.values());
        return statuses;
    }

    /** Nanos since the distributor last went round its loop (it does at least every 250 ms while healthy). */
    public long loopAgeNanos() {
        return System.nanoTime() - lastLoopNanos;
    }

    public boolean running() {
        return thread.isAlive();
    }

    public boolean ringOpen() {
        return ringOpen;
    }

    public long packetsDistributed() {
        return packetsDistributed;
    }

    public long tornPackets() {
        return tornPackets;
    }
}
