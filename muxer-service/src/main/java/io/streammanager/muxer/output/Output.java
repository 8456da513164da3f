package io.streammanager.muxer.output;

import io.streammanager.bus.shm.CodecConfig;
import io.streammanager.ffmpeg.UrlMasking;
import io.streammanager.muxer.delivery.TcpDelivery;
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
 * and its timestamps start at 0; audio from before that keyframe is not written. A keyframe whose video config
 * differs only in its decoder configuration (SPS/PPS) is sent in-band on the same connection; another size, codec or
 * audio config reconnects.
 *
 * <p>LIVE means the platform receives: where the sink can see the socket's acknowledgements, the output turns LIVE
 * once the peer has acknowledged everything up to its first media packet, and a connection whose peer acknowledges
 * nothing for {@code stallTimeout} while bytes are owed is dropped and reconnected. Failures are retried after the
 * retry policy's backoff (exponential, full jitter), unless the platform refused the stream: that is FAILED at once
 * ({@link ErrorCategory#retryable()}). While not connected the queue keeps only the newest GOP, so a reconnect starts
 * at the freshest keyframe. Nothing here ever waits for the distributor or another output.
 */
public final class Output {
    public static final Duration DEFAULT_STALL_TIMEOUT = Duration.ofSeconds(10);
    private static final Logger LOG = Logger.getLogger(Output.class);
    private static final long POLL_TIMEOUT_NS = TimeUnit.MILLISECONDS.toNanos(50);
    /** A connection LIVE this long counts as healthy again: the next failure starts the backoff anew. */
    private static final long STABLE_CONNECTION_NS = TimeUnit.SECONDS.toNanos(5);
    private static final long ABORT_GRACE_NS = TimeUnit.MILLISECONDS.toNanos(300);
    /**
     * A refusal this soon after our own session there ended is retried, not final: the platform may still hold that
     * session ("Already publishing") until it notices it is gone (nginx-rtmp's default timeout is 60 s).
     */
    static final long REFUSAL_GRACE_NS = TimeUnit.SECONDS.toNanos(60);
    /** How often the socket's acknowledgements are read (a syscall pair; never per packet). */
    private static final long DELIVERY_PROBE_NS = TimeUnit.MILLISECONDS.toNanos(100);

    private final String streamId;
    private final OutputTarget target;
    private final OutputQueue queue;
    private final PacketSink.Factory sinkFactory;
    private final OutputListener listener;
    private final long stallTimeoutNs;
    private final Thread thread;
    private final TimestampRebaser rebaser = new TimestampRebaser();
    private final ThroughputWindow throughput = new ThroughputWindow();
    private final Object backoffSignal = new Object();

    private volatile RetryPolicy retryPolicy;
    private volatile OutputState state = OutputState.IDLE;
    private volatile long stateSinceMs = System.currentTimeMillis();
    private volatile int attempt;
    private volatile ErrorCategory lastError;
    private volatile String lastErrorMessage;
    private volatile long retries;
    private volatile long bytesWritten;
    private volatile long packetsWritten;
    private volatile long bytesAcknowledged = -1;
    private volatile boolean stopRequested;
    private volatile boolean abortRequested;
    private volatile boolean restartRequested;
    /** The current connection is being dropped (stalled): closing it must not wait on its peer. */
    private volatile boolean abandoning;
    private long overflowsSeen; // distributor thread only
    private int failures; // output thread only: consecutive failed attempts
    private long lastSessionEndNs; // output thread only: when a connection the platform had accepted ended, or 0

    public Output(String streamId, OutputTarget target, OutputQueue queue, PacketSink.Factory sinkFactory,
                  RetryPolicy retryPolicy, OutputListener listener) {
        this(streamId, target, queue, sinkFactory, retryPolicy, listener, DEFAULT_STALL_TIMEOUT);
    }

    /** @param stallTimeout a connection whose peer acknowledges nothing this long while bytes are owed is dropped */
    public Output(String streamId, OutputTarget target, OutputQueue queue, PacketSink.Factory sinkFactory,
                  RetryPolicy retryPolicy, OutputListener listener, Duration stallTimeout) {
        this.streamId = Objects.requireNonNull(streamId, "streamId");
        this.target = Objects.requireNonNull(target, "target");
        this.queue = Objects.requireNonNull(queue, "queue");
        this.sinkFactory = Objects.requireNonNull(sinkFactory, "sinkFactory");
        this.retryPolicy = Objects.requireNonNull(retryPolicy, "retryPolicy");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.stallTimeoutNs = stallTimeout.toNanos();
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

    /** Takes a new retry policy for the next failures; the connection is not touched. */
    public void updateRetryPolicy(RetryPolicy policy) {
        this.retryPolicy = Objects.requireNonNull(policy, "policy");
    }

    public RetryPolicy retryPolicy() {
        return retryPolicy;
    }

    /**
     * An output waiting in its backoff reconnects now, its attempt count reset (one CONNECTING retries at once if
     * this attempt fails); a LIVE one is left alone. A FAILED output's thread is over: it cannot restart (returns
     * false), its owner replaces it with a fresh one.
     */
    public boolean requestRestart() {
        if (state == OutputState.FAILED || !thread.isAlive() && state.terminal()) {
            return false;
        }
        if (state == OutputState.LIVE) {
            return true;
        }
        restartRequested = true;
        synchronized (backoffSignal) {
            backoffSignal.notifyAll();
        }
        return true;
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
        if (thread.getState() == Thread.State.NEW) {
            return true;
        }
        long graceNs = Math.max(timeout.toNanos() - ABORT_GRACE_NS, timeout.toNanos() / 2);
        if (!thread.join(Duration.ofNanos(graceNs))) {
            abortRequested = true;
            return thread.join(timeout.minusNanos(graceNs));
        }
        return true;
    }

    private void run() {
        SharedPacket startKeyframe = null;
        queue.holdLatestGopOnly(true);
        try {
            while (!stopRequested) {
                if (startKeyframe == null) {
                    startKeyframe = awaitKeyframe();
                    continue;
                }
                if (restartRequested) {
                    restartRequested = false;
                    failures = 0;
                }
                changeState(OutputState.CONNECTING, failures);
                abandoning = false;
                Connection connection = new Connection();
                try (PacketSink sink = sinkFactory.open(target, connectionStart(startKeyframe), this::ioShouldAbort)) {
                    connection.accepted = true;
                    SharedPacket first = startKeyframe;
                    startKeyframe = null;
                    startKeyframe = connection.run(sink, first);
                } catch (SinkException e) {
                    if (startKeyframe != null) {
                        // never open the next connection with a keyframe that aged through the backoff
                        startKeyframe.release();
                        startKeyframe = null;
                    }
                    if (stopRequested) {
                        break;
                    }
                    if (connection.accepted) {
                        lastSessionEndNs = System.nanoTime();
                    }
                    if (connection.liveAtNs != 0 && System.nanoTime() - connection.liveAtNs > STABLE_CONNECTION_NS) {
                        failures = 0;
                    }
                    failures++;
                    if (!backOff(e, failures)) {
                        return;
                    }
                    if (restartRequested) {
                        restartRequested = false;
                        failures = 0;
                    }
                } finally {
                    bytesAcknowledged = -1;
                    queue.holdLatestGopOnly(true);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.errorf(e, "output %s of stream %s crashed", target.id(), streamId);
            lastError = ErrorCategory.RESOURCE_LIMITATION;
            lastErrorMessage = UrlMasking.mask(String.valueOf(e.getMessage()));
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

    /** One open connection: writes packets until a stop, a stall, a failure, or a keyframe that needs a new one. */
    private final class Connection {
        private boolean accepted;
        private long liveAtNs;
        private DeliveryWatch watch; // null when the sink cannot see acknowledgements
        private boolean firstWritten;
        private long nextProbeNs;

        /** @return the keyframe to reconnect with, or null after a stop */
        SharedPacket run(PacketSink sink, SharedPacket first) throws SinkException, InterruptedException {
            long openedNs = System.nanoTime();
            TcpDelivery.Snapshot opened = sink.delivery();
            if (opened.known()) {
                watch = new DeliveryWatch(opened, openedNs, stallTimeoutNs);
                bytesAcknowledged = 0;
            } else {
                goLive(openedNs); // a file, or a transport whose acknowledgements we cannot see: the open is all
            }
            queue.holdLatestGopOnly(false);
            rebaser.reset();
            CodecConfig config = first.codecConfig();
            CodecConfig audioConfig = first.audioConfig();
            SharedPacket packet = first;
            while (true) {
                if (packet != null) {
                    if (packet.keyframe() && packet != first) {
                        if (!sameAudio(packet.audioConfig(), audioConfig)
                                || !sameVideo(packet.codecConfig(), config, sink)) {
                            LOG.infof("output %s of stream %s: codec parameters changed, reconnecting",
                                    target.id(), streamId);
                            return packet;
                        }
                        config = packet.codecConfig();
                    }
                    try {
                        write(sink, packet);
                    } finally {
                        packet.release();
                        packet = null;
                    }
                    if (watch != null && !firstWritten) {
                        firstWritten = true;
                        watch.firstPacketWritten(sink.delivery());
                    }
                    if (failures > 0 && liveAtNs != 0 && System.nanoTime() - liveAtNs > STABLE_CONNECTION_NS) {
                        failures = 0;
                        attempt = 0;
                    }
                }
                if (stopRequested) {
                    sink.finish();
                    return null;
                }
                long nowNs = System.nanoTime();
                if (watch != null && nowNs - nextProbeNs >= 0) {
                    nextProbeNs = nowNs + DELIVERY_PROBE_NS;
                    probe(sink, nowNs);
                }
                packet = queue.poll(POLL_TIMEOUT_NS);
            }
        }

        private void probe(PacketSink sink, long nowNs) throws SinkException {
            DeliveryWatch.Verdict verdict = watch.observe(sink.delivery(), nowNs);
            bytesAcknowledged = watch.acknowledgedSinceOpen();
            if (verdict == DeliveryWatch.Verdict.LIVE && liveAtNs == 0) {
                goLive(nowNs);
            } else if (verdict == DeliveryWatch.Verdict.STALLED) {
                abandoning = true;
                throw new SinkException(ErrorCategory.OUTPUT_CONNECTION, "stalled: the peer acknowledged nothing for "
                        + TimeUnit.NANOSECONDS.toMillis(watch.silentForNs(nowNs)) + " ms with " + watch.owed()
                        + " bytes owed, at " + target.maskedUrl());
            }
        }

        private void goLive(long nowNs) {
            liveAtNs = nowNs;
            changeState(OutputState.LIVE, attempt);
        }
    }

    /** Same video track, or one whose new decoder configuration the sink takes in-band. */
    private boolean sameVideo(CodecConfig next, CodecConfig current, PacketSink sink) {
        if (sameCodec(next, current)) {
            return true;
        }
        if (!sameFormat(next, current) || next.extradata() == null || next.extradata().length == 0) {
            return false;
        }
        if (sink.replaceVideoExtradata(next.extradata())) {
            LOG.infof("output %s of stream %s: new video decoder configuration sent in-band", target.id(), streamId);
            return true;
        }
        return false;
    }

    /**
     * Blocked I/O is cut short once a stop is asked while not connected (nothing to finish), once the graceful
     * part of the stop budget is over, or while a stalled connection is being dropped.
     */
    private boolean ioShouldAbort() {
        return abortRequested || abandoning || (stopRequested && state != OutputState.LIVE);
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
        long nowUs = epochMicros();
        throughput.record(nowUs / 1000, packet.size());
        listener.packetWritten(this, packet, nowUs);
    }

    /** @return false if the output gave up (FAILED) or was stopped while waiting */
    private boolean backOff(SinkException failure, int failedAttempts) throws InterruptedException {
        lastError = failure.category();
        lastErrorMessage = UrlMasking.mask(failure.getMessage());
        listener.error(this, failure.category());
        queue.resyncToKeyframe();
        RetryPolicy policy = retryPolicy;
        boolean finalRefusal = !failure.category().retryable()
                && (lastSessionEndNs == 0 || System.nanoTime() - lastSessionEndNs > REFUSAL_GRACE_NS);
        if (finalRefusal || policy.exhausted(failedAttempts)) {
            LOG.warnf("output %s of stream %s: attempt %d failed (%s), giving up: %s", target.id(), streamId,
                    failedAttempts, failure.category().tag(), lastErrorMessage);
            changeState(OutputState.FAILED, failedAttempts);
            return false;
        }
        long delayNs = policy.delayFor(failedAttempts).toNanos();
        LOG.warnf("output %s of stream %s: attempt %d failed (%s): %s; retrying in %d ms", target.id(), streamId,
                failedAttempts, failure.category().tag(), lastErrorMessage, TimeUnit.NANOSECONDS.toMillis(delayNs));
        retries++;
        changeState(OutputState.RETRYING, failedAttempts);
        listener.retryScheduled(this, failedAttempts, delayNs);
        long deadlineNs = System.nanoTime() + delayNs;
        synchronized (backoffSignal) {
            long remainingNs;
            while (!stopRequested && !restartRequested && (remainingNs = deadlineNs - System.nanoTime()) > 0) {
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
        stateSinceMs = System.currentTimeMillis();
        state = next;
        LOG.debugf("output %s of stream %s -> %s (attempt %d)", target.id(), streamId, next, attemptNumber);
        listener.stateChanged(this, next, attemptNumber, lastError);
    }

    /** Same codec, size and decoder configuration. */
    static boolean sameCodec(CodecConfig a, CodecConfig b) {
        return sameFormat(a, b) && (a == b || Arrays.equals(a.extradata(), b.extradata()));
    }

    /** Same codec and size: a decoder configuration change alone can go in-band. */
    static boolean sameFormat(CodecConfig a, CodecConfig b) {
        if (a == b) {
            return true;
        }
        if (a == null || b == null) {
            return false;
        }
        return Objects.equals(a.codec(), b.codec()) && a.width() == b.width() && a.height() == b.height();
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
        return new OutputStatus(target.id(), state, stateSinceMs, attempt, retries,
                error == null ? null : error.tag(), lastErrorMessage, bytesWritten,
                throughput.bitsPerSecond(System.currentTimeMillis()), bytesAcknowledged, packetsWritten,
                queue.size(), queue.bytes(), queue.droppedPackets());
    }

    public boolean alive() {
        return thread.isAlive();
    }
}
