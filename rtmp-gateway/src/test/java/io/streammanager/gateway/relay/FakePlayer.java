package io.streammanager.gateway.relay;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;

/** A player that records what it was sent (keeping the buffers, released by {@link #release()}). */
class FakePlayer implements PlayerSink, PublisherHandle {
    final String id;
    final List<ByteBuf> sent = new ArrayList<>();
    boolean full;
    String disconnectReason;
    int publisherLeft;

    FakePlayer(String id) {
        this.id = id;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public boolean writeQueueFull() {
        return full;
    }

    /** Messages sent since the last flush (a sink holds them until then); flush() calls made outside a send. */
    int held;
    int flushCalls;

    @Override
    public void send(SharedMessage message) {
        send(message, true);
    }

    @Override
    public void send(SharedMessage message, boolean flush) {
        sent.add(message.share());
        held = flush ? 0 : held + 1;
    }

    @Override
    public void flush() {
        flushCalls++;
        held = 0;
    }

    @Override
    public void disconnect(String reason) {
        disconnectReason = reason;
    }

    String stoppedReason;

    @Override
    public void streamStopped(String reason) {
        stoppedReason = reason;
    }

    @Override
    public void publisherLeft() {
        publisherLeft++;
    }

    /** The type id and timestamp of each sent message, read from its type 0 chunk header. */
    List<String> sentHeaders() {
        return sent.stream().map(b -> b.getUnsignedByte(b.readerIndex() + 7) + "@" + b.getUnsignedMedium(b.readerIndex() + 1)).toList();
    }

    void release() {
        sent.forEach(ByteBuf::release);
        sent.clear();
    }
}
