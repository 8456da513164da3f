package io.streammanager.encoder.codec;

import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * What a stream worker needs of its open encoders (see {@link LadderEncoder}, the one implementation): declared here
 * so a test can wrap the real ladder and make it fail like a lost hardware session would.
 */
public interface VideoLadder extends AutoCloseable {

    /** Opens a ladder; {@code LadderEncoder::open} in the service. */
    @FunctionalInterface
    interface Opener {
        VideoLadder open(LadderSettings settings, EncoderSelector selector) throws EncoderOpenException;
    }

    /** @see LadderEncoder#submit */
    boolean submit(MemorySegment pixels, long ptsUs, boolean forceKeyframe);

    int drain(int index, PacketSink sink);

    int flush(int index, PacketSink sink);

    boolean changeBitrate(int index, int bitrateBps);

    void forgetSlots();

    int renditionCount();

    byte[] extradata(int index);

    EncoderBackend backend(int index);

    List<EncoderSkip> skipped(int index);

    LadderSettings settings();

    @Override
    void close();
}
