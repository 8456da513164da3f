package io.streammanager.muxer.output;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One output's bounded, keyframe-aware packet queue. The distributor offers without ever waiting for the output; the
 * output's own thread polls.
 *
 * <p>Whatever is dropped, the output never sees a packet whose reference frames it missed: when the queue is full
 * it drops whole GOPs (everything before the newest queued keyframe), or, with no keyframe to keep, everything queued
 * plus the incoming packets until the next keyframe. The packets the output already wrote are the head of a GOP
 * whose tail is dropped; the next thing it writes is a keyframe.
 */
public final class OutputQueue {
    /** What {@link #offer} did with the packet. */
    public enum OfferResult { QUEUED, QUEUED_AFTER_OVERFLOW, DROPPED_UNTIL_KEYFRAME, CLOSED }

    private final int maxPackets;
    private final long maxBytes;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final ArrayDeque<SharedPacket> packets = new ArrayDeque<>();

    private long bytes;
    private boolean skipUntilKeyframe = true; // an output always starts at a keyframe
    private boolean holdLatestGopOnly;
    private boolean closed;
    private boolean wakeUpRequested;
    private long droppedPackets;
    private long overflows;

    public OutputQueue(int maxPackets, long maxBytes) {
        if (maxPackets < 1 || maxBytes < 1) {
            throw new IllegalArgumentException("maxPackets=" + maxPackets + " and maxBytes=" + maxBytes + " must be >= 1");
        }
        this.maxPackets = maxPackets;
        this.maxBytes = maxBytes;
    }

    /** Takes its own reference to the packet if it keeps it; never blocks on the consumer. */
    public OfferResult offer(SharedPacket packet) {
        lock.lock();
        try {
            if (closed) {
                return OfferResult.CLOSED;
            }
            if (skipUntilKeyframe && !packet.keyframe()) {
                droppedPackets++;
                return OfferResult.DROPPED_UNTIL_KEYFRAME;
            }
            skipUntilKeyframe = false;
            if (packet.keyframe() && holdLatestGopOnly) {
                dropAll(); // not connected: only the newest GOP is worth keeping for the reconnect
            }
            boolean overflow = packets.size() + 1 > maxPackets || bytes + packet.size() > maxBytes;
            if (overflow) {
                if (!holdLatestGopOnly) {
                    overflows++; // while disconnected, dropping old GOPs is the plan, not an error
                }
                makeRoomFor(packet);
                if (skipUntilKeyframe) {
                    return OfferResult.DROPPED_UNTIL_KEYFRAME;
                }
            }
            packets.addLast(packet.retain());
            bytes += packet.size();
            notEmpty.signal();
            return overflow ? OfferResult.QUEUED_AFTER_OVERFLOW : OfferResult.QUEUED;
        } finally {
            lock.unlock();
        }
    }

    /** Makes room for {@code incoming} by dropping whole GOPs, or everything and skipping to the next keyframe. */
    private void makeRoomFor(SharedPacket incoming) {
        if (incoming.keyframe()) {
            dropAll();
        } else {
            dropBeforeNewestKeyframe();
        }
        if (packets.size() + 1 > maxPackets || bytes + incoming.size() > maxBytes) {
            dropAll();
            if (!incoming.keyframe()) {
                droppedPackets++; // the incoming packet itself
                skipUntilKeyframe = true;
            }
        }
    }

    /**
     * Waits up to {@code timeoutNs} for a packet. The caller owns the returned reference and must release it.
     *
     * @return the oldest packet, or null on timeout, on {@link #wakeUp()} or when closed
     */
    public SharedPacket poll(long timeoutNs) throws InterruptedException {
        lock.lock();
        try {
            long remainingNs = timeoutNs;
            while (packets.isEmpty() && !closed && remainingNs > 0 && !wakeUpRequested) {
                remainingNs = notEmpty.awaitNanos(remainingNs);
            }
            wakeUpRequested = false;
            SharedPacket packet = packets.pollFirst();
            if (packet != null) {
                bytes -= packet.size();
            }
            return packet;
        } finally {
            lock.unlock();
        }
    }

    /** Makes a waiting {@link #poll} return now (used to stop an output promptly). */
    public void wakeUp() {
        lock.lock();
        try {
            wakeUpRequested = true;
            notEmpty.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * After a lost connection: the output must start again at a keyframe. Keeps the newest queued GOP if there is
     * one, else drops everything and skips incoming packets until the next keyframe.
     */
    public void resyncToKeyframe() {
        lock.lock();
        try {
            dropBeforeNewestKeyframe();
            if (packets.isEmpty() || !packets.peekFirst().keyframe()) {
                dropAll();
                skipUntilKeyframe = true;
            }
        } finally {
            lock.unlock();
        }
    }

    /** While an output is not connected it only needs the newest GOP: each new keyframe replaces the queue. */
    public void holdLatestGopOnly(boolean enabled) {
        lock.lock();
        try {
            holdLatestGopOnly = enabled;
        } finally {
            lock.unlock();
        }
    }

    /** Releases every queued packet and refuses new ones. */
    public void close() {
        lock.lock();
        try {
            closed = true;
            dropAllUncounted();
            notEmpty.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void dropBeforeNewestKeyframe() {
        int newestKeyframe = -1;
        int index = 0;
        for (SharedPacket queued : packets) {
            if (queued.keyframe()) {
                newestKeyframe = index;
            }
            index++;
        }
        for (int i = 0; i < newestKeyframe; i++) {
            dropFirst();
        }
    }

    private void dropAll() {
        while (!packets.isEmpty()) {
            dropFirst();
        }
    }

    private void dropFirst() {
        SharedPacket dropped = packets.pollFirst();
        bytes -= dropped.size();
        droppedPackets++;
        dropped.release();
    }

    private void dropAllUncounted() {
        for (Iterator<SharedPacket> it = packets.iterator(); it.hasNext(); ) {
            it.next().release();
            it.remove();
        }
        bytes = 0;
    }

    public int size() {
        lock.lock();
        try {
            return packets.size();
        } finally {
            lock.unlock();
        }
    }

    public long bytes() {
        lock.lock();
        try {
            return bytes;
        } finally {
            lock.unlock();
        }
    }

    /** Packets dropped by the overflow, resync and skip-to-keyframe rules (not those released by close). */
    public long droppedPackets() {
        lock.lock();
        try {
            return droppedPackets;
        } finally {
            lock.unlock();
        }
    }

    /** How many offers found the queue full. */
    public long overflows() {
        lock.lock();
        try {
            return overflows;
        } finally {
            lock.unlock();
        }
    }
}
