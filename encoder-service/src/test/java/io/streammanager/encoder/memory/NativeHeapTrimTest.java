package io.streammanager.encoder.memory;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Memory freed by a thread that has ended stays in its malloc arena until trimmed: the trim gives it back. */
@Timeout(60)
class NativeHeapTrimTest {

    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle MALLOC = LINKER.downcallHandle(LINKER.defaultLookup().find("malloc").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
    private static final MethodHandle FREE = LINKER.downcallHandle(LINKER.defaultLookup().find("free").orElseThrow(),
            FunctionDescriptor.ofVoid(ValueLayout.ADDRESS));
    /** Below glibc's mmap threshold, so the chunks come from the thread's arena, as an encoder's buffers do. */
    private static final long CHUNK_BYTES = 64 * 1024;
    private static final int CHUNKS = 2_000;
    private static final long FREED_BYTES = CHUNK_BYTES * (CHUNKS - 1);

    @Test
    void trimGivesBackWhatAnEndedThreadFreedIntoItsArena() throws Exception {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread thread = Thread.ofPlatform().name("arena-filler").start(() -> {
            try {
                MemorySegment[] chunks = new MemorySegment[CHUNKS];
                for (int i = 0; i < CHUNKS; i++) {
                    chunks[i] = ((MemorySegment) MALLOC.invokeExact(CHUNK_BYTES)).reinterpret(CHUNK_BYTES);
                    chunks[i].fill((byte) 1); // resident, as written pictures are
                }
                // the last chunk stays: it pins the arena's top, so only a trim (not free's own) can give pages back
                for (int i = 0; i < CHUNKS - 1; i++) {
                    FREE.invokeExact(chunks[i]);
                }
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        thread.join();
        assertTrue(failure.get() == null, () -> "filling the arena failed: " + failure.get());
        long beforeKb = rssKb();
        String report = NativeHeapTrim.trim().orElseThrow(() -> new AssertionError("the JVM could not trim"));
        long afterKb = rssKb();
        assertTrue((beforeKb - afterKb) * 1024 > FREED_BYTES / 2, "trim gave back only " + (beforeKb - afterKb)
                + " KB of " + FREED_BYTES / 1024 + " KB freed (" + report + ")");
    }

    private static long rssKb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }
}
