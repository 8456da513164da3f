package io.streammanager.composition.audio;

import java.nio.ShortBuffer;

/**
 * One source's decoded sound on its way from the decoder thread to the mixer: a bounded ring of interleaved S16
 * stereo sample frames at 48 kHz, with the source timestamp of every chunk the decoder wrote, so the mixer can ask
 * what source time its next sample has. When the decoder writes more than fits, the oldest samples go (counted): a
 * live decoder never waits for the clock. Single writer, single reader; the few lines under the lock copy samples
 * only, and nothing here allocates after construction.
 */
public final class AudioQueue {

    public static final int SAMPLE_RATE = 48_000;
    public static final int CHANNELS = 2;

    private final short[] samples;
    private final int capacityFrames;
    private final long[] chunkStart; // sample-frame index where a chunk begins
    private final long[] chunkPtsUs; // its source timestamp
    private long chunksWritten;
    private long chunksDiscarded;
    private long writeFrame; // total sample frames written
    private long readFrame; // total sample frames read or dropped
    private long droppedFrames;

    /** @param capacityFrames sample frames the queue holds (48000 = one second) */
    public AudioQueue(int capacityFrames) {
        if (capacityFrames < 1) {
            throw new IllegalArgumentException("capacityFrames=" + capacityFrames + " must be positive");
        }
        this.capacityFrames = capacityFrames;
        this.samples = new short[capacityFrames * CHANNELS];
        // a decoder chunk is rarely under 128 sample frames; more chunk slots than that only cost memory
        int chunks = Math.max(16, capacityFrames / 128);
        this.chunkStart = new long[chunks];
        this.chunkPtsUs = new long[chunks];
    }

    /**
     * Decoder thread: appends {@code frames} sample frames from {@code source} (interleaved stereo, from its
     * position) that start at source time {@code ptsUs}; drops the oldest queued samples if they do not fit.
     */
    public synchronized void write(ShortBuffer source, int frames, long ptsUs) {
        int skip = Math.max(0, frames - capacityFrames); // a chunk larger than the queue keeps its newest part
        int from = source.position() + skip * CHANNELS;
        int count = frames - skip;
        long start = writeFrame;
        if (skip > 0) {
            droppedFrames += skip;
            ptsUs += skip * 1_000_000L / SAMPLE_RATE;
        }
        long overflow = writeFrame + count - readFrame - capacityFrames;
        if (overflow > 0) {
            advance(overflow);
            droppedFrames += overflow;
        }
        int at = (int) (writeFrame % capacityFrames);
        int first = Math.min(count, capacityFrames - at);
        source.get(from, samples, at * CHANNELS, first * CHANNELS);
        if (first < count) {
            source.get(from + first * CHANNELS, samples, 0, (count - first) * CHANNELS);
        }
        writeFrame += count;
        int slot = (int) (chunksWritten % chunkStart.length);
        if (chunksWritten - chunksDiscarded == chunkStart.length) {
            chunksDiscarded++; // the oldest chunk's samples lose their own timestamp, keep the next one's
        }
        chunkStart[slot] = start;
        chunkPtsUs[slot] = ptsUs;
        chunksWritten++;
    }

    /** Mixer: sample frames ready to read. */
    public synchronized int available() {
        return (int) (writeFrame - readFrame);
    }

    /** Mixer: the source time of the next sample to read, or {@link Long#MIN_VALUE} when nothing is queued. */
    public synchronized long headUs() {
        if (writeFrame == readFrame) {
            return Long.MIN_VALUE;
        }
        discardPassedChunks();
        long index = chunksDiscarded % chunkStart.length;
        long start = chunkStart[(int) index];
        long offset = Math.max(0, readFrame - start);
        return chunkPtsUs[(int) index] + offset * 1_000_000L / SAMPLE_RATE;
    }

    /**
     * Mixer: how many queued sample frames come before the sound of source time {@code ptsUs} on the newest queued
     * timeline (a looped clip's new one after the old one's tail; a timeline starts where a chunk's time goes back),
     * or before that timeline's first sample if {@code ptsUs} is earlier still; -1 if it is not queued yet or has
     * begun playing.
     */
    public synchronized long framesBefore(long ptsUs) {
        for (long chunk = chunksWritten - 1; chunk >= chunksDiscarded; chunk--) {
            int slot = (int) (chunk % chunkStart.length);
            long end = chunk + 1 < chunksWritten ? chunkStart[(int) ((chunk + 1) % chunkStart.length)] : writeFrame;
            long at = chunkStart[slot] + (ptsUs - chunkPtsUs[slot]) * SAMPLE_RATE / 1_000_000L;
            boolean timelineStart = chunk == chunksDiscarded
                    || chunkPtsUs[(int) ((chunk - 1) % chunkStart.length)] > chunkPtsUs[slot];
            if (ptsUs >= chunkPtsUs[slot] && at < end || timelineStart && ptsUs < chunkPtsUs[slot]) {
                at = Math.max(at, chunkStart[slot]);
                return at >= readFrame ? at - readFrame : -1;
            }
            if (timelineStart) {
                return -1;
            }
        }
        return -1;
    }

    /** Mixer: sample frames queued before the next point where the source's time goes back (a new timeline), or all. */
    public synchronized int framesOnTimeline() {
        for (long chunk = chunksDiscarded + 1; chunk < chunksWritten; chunk++) {
            int slot = (int) (chunk % chunkStart.length);
            if (chunkPtsUs[slot] < chunkPtsUs[(int) ((chunk - 1) % chunkStart.length)]) {
                return (int) (chunkStart[slot] - readFrame);
            }
        }
        return (int) (writeFrame - readFrame);
    }

    /** Mixer: copies up to {@code frames} sample frames into {@code target} from index 0; returns how many. */
    public synchronized int read(short[] target, int targetFrame, int frames) {
        int count = (int) Math.min(frames, writeFrame - readFrame);
        int at = (int) (readFrame % capacityFrames);
        int first = Math.min(count, capacityFrames - at);
        System.arraycopy(samples, at * CHANNELS, target, targetFrame * CHANNELS, first * CHANNELS);
        if (first < count) {
            System.arraycopy(samples, 0, target, (targetFrame + first) * CHANNELS, (count - first) * CHANNELS);
        }
        advance(count);
        return count;
    }

    /** Mixer: throws away up to {@code frames} queued sample frames (counted as dropped); returns how many. */
    public synchronized int skip(long frames) {
        int count = (int) Math.min(frames, writeFrame - readFrame);
        advance(count);
        droppedFrames += count;
        return count;
    }

    /** Sample frames lost: overflow of a full queue, and what the mixer skipped to stay in sync. */
    public synchronized long droppedFrames() {
        return droppedFrames;
    }

    /** Forgets everything queued (not counted: a source that reconnects starts a new timeline). */
    public synchronized void clear() {
        readFrame = writeFrame;
        chunksDiscarded = chunksWritten;
    }

    private void advance(long frames) {
        readFrame += frames;
        discardPassedChunks();
    }

    /** Drops the timestamps of chunks whose samples were all read: the next chunk starts at or before readFrame. */
    private void discardPassedChunks() {
        while (chunksWritten - chunksDiscarded > 1
                && chunkStart[(int) ((chunksDiscarded + 1) % chunkStart.length)] <= readFrame) {
            chunksDiscarded++;
        }
    }
}
