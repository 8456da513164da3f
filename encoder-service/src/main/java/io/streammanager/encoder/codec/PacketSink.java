package io.streammanager.encoder.codec;

/** Receives each encoded packet; the packet's memory is reused once this returns. */
@FunctionalInterface
public interface PacketSink {
    void accept(EncodedPacket packet);
}
