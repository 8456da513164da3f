package io.streammanager.bus.shm;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** Content derived from a sequence number, so a reader can check every byte it got. */
final class Patterns {

    private static final ValueLayout.OfLong WORD = ValueLayout.JAVA_LONG_UNALIGNED;

    private Patterns() {
    }

    static long word(long sequence, long index) {
        return (sequence + 1) * 0x9E3779B97F4A7C15L ^ (index * 0xBF58476D1CE4E5B9L);
    }

    static void fill(MemorySegment target, long sequence) {
        long length = target.byteSize();
        long words = length >>> 3;
        for (long i = 0; i < words; i++) {
            target.set(WORD, i << 3, word(sequence, i));
        }
        for (long i = words << 3; i < length; i++) {
            target.set(ValueLayout.JAVA_BYTE, i, (byte) word(sequence, i));
        }
    }

    /** Index of the first byte (word) that does not match, or -1 if all do. */
    static long firstMismatch(MemorySegment source, long sequence) {
        long length = source.byteSize();
        long words = length >>> 3;
        for (long i = 0; i < words; i++) {
            if (source.get(WORD, i << 3) != word(sequence, i)) {
                return i << 3;
            }
        }
        for (long i = words << 3; i < length; i++) {
            if (source.get(ValueLayout.JAVA_BYTE, i) != (byte) word(sequence, i)) {
                return i;
            }
        }
        return -1;
    }

    static byte[] bytes(long sequence, int length) {
        byte[] bytes = new byte[length];
        fill(MemorySegment.ofArray(bytes), sequence);
        return bytes;
    }
}
