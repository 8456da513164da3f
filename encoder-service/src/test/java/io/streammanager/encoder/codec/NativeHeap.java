package io.streammanager.encoder.codec;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * What glibc's malloc says the process holds: FFmpeg and libx264 allocate through it, outside anything the JVM or
 * JavaCPP counts. {@code mallinfo2()} (glibc 2.33+) sums every arena; in use = {@code uordblks} (arena chunks in
 * use) + {@code hblkhd} (chunks mmapped on their own). Test support for leak checks on native encoders.
 */
final class NativeHeap {

    private static final StructLayout MALLINFO2 = MemoryLayout.structLayout(
            ValueLayout.JAVA_LONG.withName("arena"), ValueLayout.JAVA_LONG.withName("ordblks"),
            ValueLayout.JAVA_LONG.withName("smblks"), ValueLayout.JAVA_LONG.withName("hblks"),
            ValueLayout.JAVA_LONG.withName("hblkhd"), ValueLayout.JAVA_LONG.withName("usmblks"),
            ValueLayout.JAVA_LONG.withName("fsmblks"), ValueLayout.JAVA_LONG.withName("uordblks"),
            ValueLayout.JAVA_LONG.withName("fordblks"), ValueLayout.JAVA_LONG.withName("keepcost"));
    private static final VarHandle UORDBLKS = MALLINFO2.varHandle(MemoryLayout.PathElement.groupElement("uordblks"));
    private static final VarHandle HBLKHD = MALLINFO2.varHandle(MemoryLayout.PathElement.groupElement("hblkhd"));
    private static final MethodHandle MALLINFO2_CALL = Linker.nativeLinker().downcallHandle(
            Linker.nativeLinker().defaultLookup().find("mallinfo2")
                    .orElseThrow(() -> new IllegalStateException("mallinfo2 not found: glibc 2.33 or newer needed")),
            FunctionDescriptor.of(MALLINFO2));

    private NativeHeap() {
    }

    /** Bytes malloc has handed out and not had back, over all arenas and mmapped chunks. */
    static long inUseBytes() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment info = (MemorySegment) MALLINFO2_CALL.invokeExact((SegmentAllocator) arena);
            return (long) UORDBLKS.get(info, 0L) + (long) HBLKHD.get(info, 0L);
        } catch (Throwable e) {
            throw new IllegalStateException("mallinfo2 failed", e);
        }
    }
}
