package io.streammanager.gateway.rtmp.session;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.streammanager.gateway.rtmp.amf0.Amf0Writer;
import io.streammanager.gateway.rtmp.chunk.ChunkEncoder;
import io.streammanager.gateway.rtmp.message.Abort;
import io.streammanager.gateway.rtmp.message.Acknowledgement;
import io.streammanager.gateway.rtmp.message.MessageType;
import io.streammanager.gateway.rtmp.message.SetChunkSize;
import io.streammanager.gateway.rtmp.message.SetPeerBandwidth;
import io.streammanager.gateway.rtmp.message.UserControl;
import io.streammanager.gateway.rtmp.message.WindowAcknowledgementSize;

/**
 * The messages of one reply, chunked into one buffer so the reply leaves in one write. Not reusable after
 * {@link #take()}.
 */
final class OutboundBatch {

    private final ByteBuf out;
    private final ByteBuf scratch;
    private int chunkSize;

    OutboundBatch(ByteBufAllocator alloc, int chunkSize) {
        this.out = alloc.buffer(512);
        this.scratch = alloc.buffer(256);
        this.chunkSize = chunkSize;
    }

    OutboundBatch setChunkSize(int size) {
        new SetChunkSize(size).encode(scratch);
        control(SetChunkSize.TYPE_ID);
        chunkSize = size; // applies to everything after this message
        return this;
    }

    OutboundBatch windowAckSize(long size) {
        new WindowAcknowledgementSize(size).encode(scratch);
        return control(WindowAcknowledgementSize.TYPE_ID);
    }

    OutboundBatch peerBandwidth(long size) {
        new SetPeerBandwidth(size, SetPeerBandwidth.LIMIT_DYNAMIC).encode(scratch);
        return control(SetPeerBandwidth.TYPE_ID);
    }

    OutboundBatch acknowledgement(long sequence) {
        new Acknowledgement(sequence).encode(scratch);
        return control(Acknowledgement.TYPE_ID);
    }

    OutboundBatch abort(int chunkStreamId) {
        new Abort(chunkStreamId).encode(scratch);
        return control(Abort.TYPE_ID);
    }

    OutboundBatch userControl(UserControl event) {
        event.encode(scratch);
        return control(UserControl.TYPE_ID);
    }

    OutboundBatch command(int streamId, Object... values) {
        Amf0Writer.writeAll(scratch, values);
        return flushScratch(MessageType.COMMAND_CHUNK_STREAM, MessageType.COMMAND_AMF0, streamId);
    }

    OutboundBatch data(int streamId, Object... values) {
        Amf0Writer.writeAll(scratch, values);
        return flushScratch(MessageType.DATA_CHUNK_STREAM, MessageType.DATA_AMF0, streamId);
    }

    int chunkSize() {
        return chunkSize;
    }

    /** The encoded reply; the caller owns it. */
    ByteBuf take() {
        scratch.release();
        return out;
    }

    private OutboundBatch control(int typeId) {
        return flushScratch(MessageType.CONTROL_CHUNK_STREAM, typeId, 0);
    }

    private OutboundBatch flushScratch(int chunkStreamId, int typeId, int streamId) {
        ChunkEncoder.encode(chunkStreamId, typeId, streamId, 0, scratch, chunkSize, out);
        scratch.clear();
        return this;
    }
}
