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

    @Override
    public void send(SharedMessage message) {
        sent.add(message.share());
    }

    @Override
    public void disconnect(String reason) {
        disconnectReason = reason;
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
