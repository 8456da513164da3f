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
 * "frame"/"packet" are return values; views are reused flyweights. One thread owns each writer and each reader.
 *
 * <h2>Producing frames</h2>
 * <pre>{@code
 * try (FrameRingWriter ring = FrameRingWriter.create(RingFiles.frameRing(shmRoot, streamId), geometry, 8)) {
 *     MemorySegment pixels = ring.claim();          // the next slot, frameBytes long: render in place
 *     render(pixels);
 *     ring.publish(i * geometry.frameDurationUs(), captureEpochUs);
 * }                                                 // or closeAndDelete() when the stream stops
 * }</pre>
 *
 * <h2>Consuming frames</h2>
 * <pre>{@code
 * FrameRingReader reader = FrameRingReader.open(file, Duration.ofSeconds(5));  // RingUnavailableException on timeout
 * FrameView view = new FrameView();
 * switch (reader.await(view, timeoutNs)) {
 *     case FrameRingReader.FRAME -> {
 *         encode(view.pixels(), view.ptsUs());      // in place, no copy
 *         if (!reader.stillValid(view)) { ... }     // overwritten while we used it: drop (counted as torn)
 *     }
 *     case FrameRingReader.GENERATION_CHANGED -> reconfigure(reader.geometry());   // producer restarted
 *     default -> { }                                // NOTHING: check reader.producerHeartbeatAgeMs()
 * }
 * }</pre>
 *
 * <h2>PCM audio</h2>
 * <p>A stream's audio mix travels in a second ring of the same layout ({@link io.streammanager.bus.shm.RingFiles#pcmRing},
 * {@code audio.ring}): {@code FrameRingWriter.create(file, PcmGeometry.forFrameRate(48_000, 2, fps), slots)}, one slot
 * per video frame, holding that frame interval's interleaved S16 samples with the video frame's pts; publish with
 * {@link io.streammanager.bus.shm.FrameRingWriter#publishSamples}. A reader gets the count in
 * {@link io.streammanager.bus.shm.FrameView#sampleCount()} and the geometry in
 * {@link io.streammanager.bus.shm.FrameRingReader#pcm()}.
 *
 * <h2>Packets</h2>
 * <p>The encoder appends a {@link io.streammanager.bus.shm.PacketFlags#CODEC_CONFIG} record (payload
 * {@link io.streammanager.bus.shm.CodecConfig#encode()}) right before every keyframe. A reader starts, and after being
 * lapped resumes, at a codec config; it copies each payload out ({@link io.streammanager.bus.shm.PacketView#copyPayloadTo})
 * and then asks {@link io.streammanager.bus.shm.PacketRingReader#stillValid} before using the copy. Size the ring to
 * hold at least two GOPs.
 *
 * <h2>Restarts</h2>
 * <p>A producer that starts on an existing file reuses it in place (same inode) with the generation bumped; one
 * that deleted its file and creates it again makes a new one. Readers see both as {@code GENERATION_CHANGED}
 * (the second within about 50 ms of the new file being ready) and carry on at the new generation's newest frame or
 * first codec config. Sequences continue across in-place restarts, so a reader never mistakes an old slot for new.
 */
package io.streammanager.bus.shm;
