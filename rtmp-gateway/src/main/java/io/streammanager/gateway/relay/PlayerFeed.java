package io.streammanager.gateway.relay;

/**
 * One player's place in the stream: it forwards shared messages while the player keeps up, skips to the next keyframe
 * when its write queue is full, and disconnects it when it stays full longer than allowed.
 */
final class PlayerFeed {

    private final PlayerSink sink;
    private final long maxBehindNs;
    private boolean waitingForKeyframe = true;
    /** Waiting for a keyframe because the queue was full (drops count), not because the player just joined. */
    private boolean recovering;
    private long behindSinceNs = -1;
    private long dropped;
    private boolean disconnected;
    /** Messages were sent to the sink without a flush since its last flush. */
    private boolean unflushed;

    PlayerFeed(PlayerSink sink, long maxBehindNs) {
        this.sink = sink;
        this.maxBehindNs = maxBehindNs;
    }

    /** What to do with one message for this player; decided under the stream's lock, carried out after it. */
    enum Verdict { SEND, SKIP, DISCONNECT }

    /** Decides about one message (no I/O here: the caller sends or disconnects outside its lock). */
    Verdict offer(SharedMessage message, long nowNs) {
        if (disconnected) {
            return Verdict.SKIP;
        }
        boolean full = sink.writeQueueFull();
        if (!full) {
            behindSinceNs = -1;
        } else if (behindSinceNs < 0) {
            behindSinceNs = nowNs;
        } else if (nowNs - behindSinceNs > maxBehindNs) {
            disconnected = true;
            return Verdict.DISCONNECT;
        }
        if (message.config()) {
            return Verdict.SEND; // tiny and needed to decode anything after it
        }
        if (full) {
            waitingForKeyframe = true;
            recovering = true;
            dropped++;
            return Verdict.SKIP;
        }
        if (waitingForKeyframe) {
            if (!message.keyframe()) {
                if (recovering) {
                    dropped++;
                }
                return Verdict.SKIP;
            }
            waitingForKeyframe = false;
            recovering = false;
        }
        return Verdict.SEND;
    }

    String disconnectReason() {
        return "player behind for more than " + maxBehindNs / 1_000_000 + " ms, " + dropped + " messages dropped";
    }

    /** Records a send: with {@code flush} everything queued went out, without it this message waits. */
    void queued(boolean flush) {
        unflushed = !flush;
    }

    /** Marks the sink flushed; returns whether it held unflushed messages (so the caller must flush it). */
    boolean flushed() {
        boolean had = unflushed;
        unflushed = false;
        return had;
    }

    /** After the publisher changes, the player must start again at a keyframe. */
    void restart() {
        waitingForKeyframe = true;
    }

    PlayerSink sink() {
        return sink;
    }

    long dropped() {
        return dropped;
    }
}
