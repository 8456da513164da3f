package io.streammanager.muxer.output;

import io.streammanager.bus.shm.CodecConfig;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * One output of a stream: a bounded queue fed by the distributor, and one thread that owns the connection (a
 * {@link PacketSink}) and walks the state machine IDLE -> CONNECTING -> LIVE -> RETRYING -> ... -> STOPPED / FAILED.
 *
 * <p>Every connection starts at a video keyframe with the codec configs (video, and audio if any) that came with it,
 * and its timestamps start at 0; audio from before that keyframe is not written.
 * Failures are retried with exponential backoff and full jitter; while not connected the queue keeps only the newest
 * GOP, so a reconnect starts at the freshest keyframe. Nothing here ever waits for the distributor or another output.
 */
public final class Output {
    private static final Logger LOG = Logger.getLogger(Output.class);
    private static final long POLL_TIMEOUT_NS = TimeUnit.MILLISECONDS.toNanos(50);
    /** A connection that stayed up this long counts as healthy again: the next failure starts the backoff anew. */
    private static final long STABLE_CONNECTION_NS = TimeUnit.SECONDS.toNanos(5);
    private static final long ABORT_GRACE_NS = TimeUnit.MILLISECONDS.toNanos(300);

    private final String streamId;
    private final OutputTarget target;
    private final OutputQueue queue;
    private final PacketSink.Factory sinkFactory;
    private final RetryPolicy retryPolicy;
    private final OutputListener listener;
    private final Thread thread;
    private final TimestampRebaser rebaser = new TimestampRebaser();
    private final Object backoffSignal = new Object();

    private volatile OutputState state = OutputState.IDLE;
    private volatile int attempt;
    private volatile ErrorCategory lastError;
    private volatile long retries;
    private volatile long bytesWritten;
    private volatile long packetsWritten;
    private volatile boolean stopRequested;
    private volatile boolean abortRequested;
    private long overflowsSeen; // distributor thread only

    public Output(String streamId, OutputTarget target, OutputQueue queue, PacketSink.Factory sinkFactory,
                  RetryPolicy retryPolicy, OutputListener listener) {
        this.streamId = Objects.requireNonNull(streamId, "streamId");
        this.target = Objects.requireNonNull(target, "target");
        this.queue = Objects.requireNonNull(queue, "queue");
        this.sinkFactory = Objects.requireNonNull(sinkFactory, "sinkFactory");
        this.retryPolicy = Objects.requireNonNull(retryPolicy, "retryPolicy");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.thread = Thread.ofPlatform().daemon(true).name("muxer-output-" + streamId + "-" + target.id())
                .unstarted(this::run);
    }

    public void start() {
        thread.start();
    }

    /**
     * Called by the distributor for every packet; never blocks on this output. Counts a queue overflow as an error.
     */
    public OutputQueue.OfferResult offer(SharedPacket packet) {
        OutputQueue.OfferResult result = queue.offer(packet);
        long overflows = queue.overflows();
        if (overflows != overflowsSeen) {
            overflowsSeen = overflows;
            lastError = ErrorCategory.QUEUE_OVERFLOW;
            listener.error(this, ErrorCategory.QUEUE_OVERFLOW);
        }
        return result;
    }

    /** Asks the output to stop: it writes the trailer if it is connected, then closes. Returns at once. */
    public void requestStop() {
        stopRequested = true;
        queue.wakeUp();
        synchronized (backoffSignal) {
            backoffSignal.notifyAll();
        }
    }

    /**
     * Waits for the thread to end after {@link #requestStop()}; if the graceful part of the budget runs out, blocked
     * I/O is aborted so the thread ends within the rest.
     *
     * @return true if the thread ended within {@code timeout}
     */
    public boolean awaitStopped(Duration timeout) throws InterruptedException {
        long graceNs = Math.max(timeout.toNanos() - ABORT_GRACE_NS, timeout.toNanos() / 2);
        if (!thread.join(Duration.ofNanos(graceNs))) {
            abortRequested = true;
            return thread.join(timeout.minusNanos(graceNs));
        }
        return true;
    }

    private void run() {
        SharedPacket startKeyframe = null;
        int failures = 0;
        queue.holdLatestGopOnly(true);
        try {
            while (!stopRequested) {
                if (startKeyframe == null) {
                    startKeyframe = awaitKeyframe();
                    continue;
                }
                CodecConfig config = startKeyframe.codecConfig();
                CodecConfig audioConfig = startKeyframe.audioConfig();
                changeState(OutputState.CONNECTING, failures);
                long connectedAtNs = 0;
                try (PacketSink sink = sinkFactory.open(target, connectionStart(startKeyframe), this::ioShouldAbort)) {
                    connectedAtNs = System.nanoTime();
                    changeState(OutputState.LIVE, failures);
                    queue.holdLatestGopOnly(false);
                    rebaser.reset();
                    SharedPacket packet = startKeyframe;
                    startKeyframe = null;
                    while (true) {
                        if (packet != null) {
                            if (packet.keyframe() && (!sameCodec(packet.codecConfig(), config)
                                    || !sameAudio(packet.audioConfig(), audioConfig))) {
                                LOG.infof("output %s of stream %s: codec parameters changed, reconnecting",
                                        target.id(), streamId);
                                startKeyframe = packet;
                                break;
                            }
                            try {
                                write(sink, packet);
                            } finally {
                                packet.release();
                                packet = null;
                            }
                            if (failures > 0 && System.nanoTime() - connectedAtNs > STABLE_CONNECTION_NS) {
                                failures = 0;
                                attempt = 0;
                            }
                        }
                        if (stopRequested) {
                            sink.finish();
                            break;
                        }
                        packet = queue.poll(POLL_TIMEOUT_NS);
                    }
                } catch (SinkException e) {
                    if (startKeyframe != null) {
                        // never open the next connection with a keyframe that aged through the backoff
                        startKeyframe.release();
                        startKeyframe = null;
                    }
                    if (stopRequested) {
                        break;
                    }
                    if (connectedAtNs != 0 && System.nanoTime() - connectedAtNs > STABLE_CONNECTION_NS) {
                        failures = 0;
                    }
                    failures++;
                    if (!backOff(e, failures)) {
                        return;
                    }
                } finally {
                    queue.holdLatestGopOnly(true);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.errorf(e, "output %s of stream %s crashed", target.id(), streamId);
            lastError = ErrorCategory.RESOURCE_LIMITATION;
            listener.error(this, ErrorCategory.RESOURCE_LIMITATION);
            changeState(OutputState.FAILED, attempt);
            return;
        } finally {
            if (startKeyframe != null) {
                startKeyframe.release();
            }
            queue.close();
            if (!state.terminal()) {
                changeState(OutputState.STOPPED, attempt);
            }
        }
    }

    /**
     * Blocked I/O is cut short once a stop is asked while not connected (nothing to finish), or once the graceful
     * part of the stop budget is over.
     */
    private boolean ioShouldAbort() {
        return abortRequested || (stopRequested && state != OutputState.LIVE);
    }

    /** Takes packets until a keyframe with its codec config (the queue starts every GOP with one). */
    private SharedPacket awaitKeyframe() throws InterruptedException {
        while (!stopRequested) {
            SharedPacket packet = queue.poll(POLL_TIMEOUT_NS);
            if (packet == null) {
                continue;
            }
            if (packet.keyframe() && packet.codecConfig() != null) {
                return packet;
            }
            packet.release();
        }
        return null;
    }

    /**
     * The start keyframe's configs, and the capture time of the connection's timestamp 0: the keyframe's own capture
     * time minus its rebased pts (its dts becomes 0, so its pts becomes its reorder delay).
     */
    private static ConnectionStart connectionStart(SharedPacket startKeyframe) {
        long rebasedPtsUs = Math.max(startKeyframe.ptsUs() - startKeyframe.dtsUs(), 0);
        long captureAtZero = startKeyframe.captureEpochUs() == 0 ? 0 : startKeyframe.captureEpochUs() - rebasedPtsUs;
        return new ConnectionStart(startKeyframe.codecConfig(), startKeyframe.audioConfig(), captureAtZero);
    }

    private void write(PacketSink sink, SharedPacket packet) throws SinkException {
        if (!rebaser.rebase(packet.track(), packet.ptsUs(), packet.dtsUs(), packet.durationUs())) {
            return; // audio from before this connection's start keyframe
        }
        sink.write(packet, rebaser.ptsUs(), rebaser.dtsUs());
        bytesWritten += packet.size();
        packetsWritten++;
        listener.packetWritten(this, packet, epochMicros());
    }

    /** @return false if the output gave up (FAILED) or was stopped while waiting */
    private boolean backOff(SinkException failure, int failures) throws InterruptedException {
        lastError = failure.category();
        listener.error(this, failure.category());
        queue.resyncToKeyframe();
        if (retryPolicy.exhausted(failures)) {
            LOG.warnf("output %s of stream %s failed %d times, giving up (%s): %s", target.id(), streamId, failures,
                    failure.category().tag(), failure.getMessage());
            changeState(OutputState.FAILED, failures);
            return false;
        }
        long delayNs = retryPolicy.delayFor(failures).toNanos();
        LOG.warnf("output %s of stream %s: attempt %d failed (%s): %s; retrying in %d ms", target.id(), streamId,
                failures, failure.category().tag(), failure.getMessage(), TimeUnit.NANOSECONDS.toMillis(delayNs));
        retries++;
        changeState(OutputState.RETRYING, failures);
        listener.retryScheduled(this, failures, delayNs);
        long deadlineNs = System.nanoTime() + delayNs;
        synchronized (backoffSignal) {
            long remainingNs;
            while (!stopRequested && (remainingNs = deadlineNs - System.nanoTime()) > 0) {
                TimeUnit.NANOSECONDS.timedWait(backoffSignal, remainingNs);
            }
        }
        return !stopRequested;
    }

    private void changeState(OutputState next, int attemptNumber) {
        attempt = attemptNumber;
        if (state == next && next != OutputState.CONNECTING) {
            return;
        }
        state = next;
        LOG.debugf("output %s of stream %s -> %s (attempt %d)", target.id(), streamId, next, attemptNumber);
        listener.stateChanged(this, next, attemptNumber, lastError);
    }

    static boolean sameCodec(CodecConfig a, CodecConfig b) {
        if (a == b) {
            return true;
        }
        if (a == null || b == null) {
            return false;
        }
        return Objects.equals(a.codec(), b.codec()) && a.width() == b.width() && a.height() == b.height()
                && Arrays.equals(a.extradata(), b.extradata());
    }

    /** Same audio track: a change of codec, rate, channels or AudioSpecificConfig (or audio appearing) reconnects. */
    static boolean sameAudio(CodecConfig a, CodecConfig b) {
        if (a == b) {
            return true;
        }
        if (a == null || b == null) {
            return false;
        }
        return Objects.equals(a.codec(), b.codec()) && a.sampleRate() == b.sampleRate()
                && a.channels() == b.channels() && Arrays.equals(a.extradata(), b.extradata());
    }

    private static long epochMicros() {
        java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }

    public String streamId() {
        return streamId;
    }

    public String id() {
        return target.id();
    }

    public OutputTarget target() {
        return target;
    }

    public OutputState state() {
        return state;
    }

    public int queueSize() {
        return queue.size();
    }

    public long bytesWritten() {
        return bytesWritten;
    }

    public long droppedPackets() {
        return queue.droppedPackets();
    }

    public OutputStatus status() {
        ErrorCategory error = lastError;
        return new OutputStatus(target.id(), state, attempt, retries, queue.size(), queue.bytes(), bytesWritten,
                packetsWritten, queue.droppedPackets(), error == null ? null : error.tag());
    }

    public boolean alive() {
        return thread.isAlive();
    }
}
