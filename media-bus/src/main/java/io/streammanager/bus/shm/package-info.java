/**
 * The data plane: memory-mapped rings shared by the pipeline processes on one node.
 *
 * <p>{@link io.streammanager.bus.shm.FrameRingWriter}/{@link io.streammanager.bus.shm.FrameRingReader} carry raw
 * frames (composition to encoder) in fixed slots guarded by a seqlock; {@link io.streammanager.bus.shm.PacketRingWriter}/
 * {@link io.streammanager.bus.shm.PacketRingReader} carry encoded packets (encoder to muxer) as variable-length records
 * with broadcast semantics. Each file's layout lives in exactly one descriptor class
 * ({@link io.streammanager.bus.shm.FrameRingDescriptor}, {@link io.streammanager.bus.shm.PacketRingDescriptor}).
 *
 * <p>Producers never wait for readers. Readers never throw on the hot path: "nothing yet", "generation changed" and
 * "frame" are return values; views are reused flyweights.
 */
package io.streammanager.bus.shm;
