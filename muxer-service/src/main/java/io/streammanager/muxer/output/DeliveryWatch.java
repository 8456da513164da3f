package io.streammanager.muxer.output;

import io.streammanager.muxer.delivery.TcpDelivery;

/**
 * Judges one connection by what its peer acknowledged (a pure rule over {@link TcpDelivery.Snapshot}s and a clock).
 * LIVE once the peer acknowledged every byte up to and including the first media packet: then the platform has
 * the stream's start. STALLED when nothing was acknowledged for the stall timeout while bytes were owed; a quiet
 * connection with nothing owed is not stalled (no media to send is the encoder's problem, not the platform's).
 */
final class DeliveryWatch {
    enum Verdict { WAITING, LIVE, STALLED }

    private final long stallTimeoutNs;
    private final long acknowledgedAtOpen;
    private long liveMark = -1;
    private long lastAcknowledged;
    private long lastProgressNs;
    private long owed;
    private boolean live;

    /** @param atOpen the socket's delivery right after the publish was accepted (must be known) */
    DeliveryWatch(TcpDelivery.Snapshot atOpen, long openedNs, long stallTimeoutNs) {
        this.stallTimeoutNs = stallTimeoutNs;
        this.acknowledgedAtOpen = atOpen.acknowledgedBytes();
        this.lastAcknowledged = atOpen.acknowledgedBytes();
        this.lastProgressNs = openedNs;
    }

    /** The delivery right after the first media packet was written: LIVE waits until all of it is acknowledged. */
    void firstPacketWritten(TcpDelivery.Snapshot afterWrite) {
        if (liveMark < 0 && afterWrite.known()) {
            liveMark = afterWrite.writtenMark();
        }
    }

    Verdict observe(TcpDelivery.Snapshot delivery, long nowNs) {
        if (delivery.known()) {
            owed = delivery.pendingBytes();
            if (delivery.acknowledgedBytes() > lastAcknowledged || owed == 0) {
                lastAcknowledged = Math.max(lastAcknowledged, delivery.acknowledgedBytes());
                lastProgressNs = nowNs;
            }
            if (liveMark >= 0 && delivery.acknowledgedBytes() >= liveMark) {
                live = true;
            }
        }
        if (nowNs - lastProgressNs > stallTimeoutNs) {
            return Verdict.STALLED;
        }
        return live ? Verdict.LIVE : Verdict.WAITING;
    }

    /** Bytes the peer acknowledged since the open (handshake and publish exchange excluded). */
    long acknowledgedSinceOpen() {
        return lastAcknowledged - acknowledgedAtOpen;
    }

    long silentForNs(long nowNs) {
        return nowNs - lastProgressNs;
    }

    /** Bytes owed at the last observation. */
    long owed() {
        return owed;
    }
}
