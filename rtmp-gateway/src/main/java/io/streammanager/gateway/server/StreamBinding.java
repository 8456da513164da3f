package io.streammanager.gateway.server;

import io.streammanager.gateway.relay.LiveStream;
import io.streammanager.gateway.relay.PlayerSink;
import io.streammanager.gateway.relay.PublisherHandle;
import io.streammanager.gateway.relay.SharedMessage;
import java.util.List;

/**
 * One message stream of an {@link RtmpConnection} in the relay: the publisher or player of one {@link LiveStream}.
 * A connection has one per publishing or playing message stream id, each with its own identity in the stream's
 * player map ("s12", "s12/2", ...); all share the connection's socket, so its write-queue bound, and the connection
 * owns everything else. The relay's calls are callable from any thread and hand over to the connection's loop.
 */
final class StreamBinding implements PlayerSink, PublisherHandle {

    private final RtmpConnection connection;
    private final int messageStreamId;
    private final String id;
    private final String name;
    private final boolean publisher;
    /** Set on the connection's loop right after the attach; read by other threads only through info(). */
    private volatile LiveStream stream;
    /** The control plane's stream id (from the publisher's key), or null. */
    private volatile String controlStreamId;

    StreamBinding(RtmpConnection connection, int messageStreamId, String name, boolean publisher) {
        this.connection = connection;
        this.messageStreamId = messageStreamId;
        this.id = messageStreamId == 1 ? connection.id() : connection.id() + "/" + messageStreamId;
        this.name = name;
        this.publisher = publisher;
    }

    int messageStreamId() {
        return messageStreamId;
    }

    String name() {
        return name;
    }

    boolean publisher() {
        return publisher;
    }

    LiveStream stream() {
        return stream;
    }

    void attached(LiveStream attachedTo, String streamId) {
        this.stream = attachedTo;
        this.controlStreamId = streamId;
    }

    String controlStreamId() {
        return controlStreamId;
    }

    // ---- PlayerSink / PublisherHandle: callable from any thread

    @Override
    public String id() {
        return id;
    }

    @Override
    public boolean writeQueueFull() {
        return connection.writeQueueFull();
    }

    @Override
    public void send(SharedMessage message) {
        connection.send(message, messageStreamId, true);
    }

    @Override
    public void send(SharedMessage message, boolean flush) {
        connection.send(message, messageStreamId, flush);
    }

    @Override
    public void flush() {
        connection.flush();
    }

    @Override
    public void sendAll(List<SharedMessage> messages) {
        connection.sendAll(messages, messageStreamId);
    }

    /** The connection's other streams go on; a connection with nothing else running is closed, as before. */
    @Override
    public void streamStopped(String reason) {
        connection.stopBinding(this, reason);
    }

    /** The socket is shared: a player behind or a kick closes the whole connection. */
    @Override
    public void disconnect(String reason) {
        connection.disconnect(reason);
    }

    @Override
    public void publisherLeft() {
        connection.publisherLeft(this);
    }

    @Override
    public void displaced(String description) {
        connection.displaced(this, description);
    }

    @Override
    public boolean acceptsVideoCodec(String fourCc) {
        return connection.acceptsVideoCodec(fourCc);
    }

    @Override
    public void codecRefused(String fourCc) {
        connection.codecRefused(this, fourCc);
    }

    SessionInfo.Stream info() {
        return new SessionInfo.Stream(messageStreamId, name, publisher ? "publisher" : "player", controlStreamId);
    }
}
