package io.streammanager.muxer.delivery;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * What the kernel knows about a connected TCP socket's delivery: how many bytes the peer has acknowledged
 * ({@code tcpi_bytes_acked} of Linux {@code TCP_INFO}) and how many written bytes it has not acknowledged yet
 * ({@code SIOCOUTQ}). Their sum is everything the application wrote; a peer that receives moves the first.
 *
 * <p>Read with the FFM API ({@code getsockopt}, {@code ioctl} from libc); a socket that is not TCP, a kernel without
 * {@code tcpi_bytes_acked} (before 4.1) or another OS reads as {@link #UNKNOWN}. Only the owner of the fd may call
 * {@link #read}, while the fd is open (a closed fd number may already belong to someone else).
 */
public final class TcpDelivery {
    /** Returned when the socket cannot tell. */
    public static final Snapshot UNKNOWN = new Snapshot(-1, -1);

    private static final int SOL_SOCKET = 1;
    private static final int SO_TYPE = 3;
    private static final int SOCK_STREAM = 1;
    private static final int SOL_TCP = 6;
    private static final int TCP_INFO = 11;
    private static final long SIOCOUTQ = 0x5411;
    /** struct tcp_info: tcpi_bytes_acked is the u64 at offset 120 (after the 8 u8, 24 u32 and 2 u64 before it). */
    private static final long BYTES_ACKED_OFFSET = 120;
    private static final int TCP_INFO_BUFFER = 256;

    private static final MethodHandle GETSOCKOPT;
    private static final MethodHandle IOCTL;
    private static final MethodHandle GETPEERNAME;

    static {
        Linker linker = Linker.nativeLinker();
        SymbolLookup libc = linker.defaultLookup();
        boolean linux = System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux");
        GETSOCKOPT = linux ? libc.find("getsockopt").map(symbol -> linker.downcallHandle(symbol,
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                        ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS))).orElse(null) : null;
        IOCTL = linux ? libc.find("ioctl").map(symbol -> linker.downcallHandle(symbol,
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG,
                        ValueLayout.ADDRESS), Linker.Option.firstVariadicArg(2))).orElse(null) : null;
        GETPEERNAME = linux ? libc.find("getpeername").map(symbol -> linker.downcallHandle(symbol,
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS,
                        ValueLayout.ADDRESS))).orElse(null) : null;
    }

    private TcpDelivery() {
    }

    /**
     * @param acknowledgedBytes bytes the peer acknowledged since the connection opened (the SYN counts one)
     * @param pendingBytes      bytes written to the socket that the peer has not acknowledged yet
     */
    public record Snapshot(long acknowledgedBytes, long pendingBytes) {
        public boolean known() {
            return acknowledgedBytes >= 0 && pendingBytes >= 0;
        }

        /** Everything written so far: once {@link #acknowledgedBytes()} reaches this, the peer has all of it. */
        public long writtenMark() {
            return acknowledgedBytes + pendingBytes;
        }
    }

    /** True if {@code fd} is a stream socket (checked before trusting an fd found by walking FFmpeg's contexts). */
    public static boolean isStreamSocket(int fd) {
        if (GETSOCKOPT == null || fd < 0) {
            return false;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment value = arena.allocate(ValueLayout.JAVA_INT);
            MemorySegment length = arena.allocate(ValueLayout.JAVA_INT);
            length.set(ValueLayout.JAVA_INT, 0, 4);
            int result = (int) GETSOCKOPT.invokeExact(fd, SOL_SOCKET, SO_TYPE, value, length);
            return result == 0 && value.get(ValueLayout.JAVA_INT, 0) == SOCK_STREAM;
        } catch (Throwable e) {
            return false;
        }
    }

    /** The TCP port of the socket's peer (IPv4 or IPv6), or -1. */
    public static int peerPort(int fd) {
        if (GETPEERNAME == null || fd < 0) {
            return -1;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment address = arena.allocate(128, 8); // sockaddr_storage
            MemorySegment length = arena.allocate(ValueLayout.JAVA_INT);
            length.set(ValueLayout.JAVA_INT, 0, 128);
            if ((int) GETPEERNAME.invokeExact(fd, address, length) != 0) {
                return -1;
            }
            // sockaddr_in and sockaddr_in6 both keep the port, big-endian, right after the 2-byte family
            return Short.toUnsignedInt(address.get(ValueLayout.JAVA_SHORT_UNALIGNED
                    .withOrder(java.nio.ByteOrder.BIG_ENDIAN), 2));
        } catch (Throwable e) {
            return -1;
        }
    }

    /** The socket's delivery now, or {@link #UNKNOWN}. */
    public static Snapshot read(int fd) {
        if (GETSOCKOPT == null || IOCTL == null || fd < 0) {
            return UNKNOWN;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment info = arena.allocate(TCP_INFO_BUFFER, 8);
            MemorySegment length = arena.allocate(ValueLayout.JAVA_INT);
            length.set(ValueLayout.JAVA_INT, 0, TCP_INFO_BUFFER);
            int result = (int) GETSOCKOPT.invokeExact(fd, SOL_TCP, TCP_INFO, info, length);
            if (result != 0 || length.get(ValueLayout.JAVA_INT, 0) < BYTES_ACKED_OFFSET + 8) {
                return UNKNOWN;
            }
            long acked = info.get(ValueLayout.JAVA_LONG, BYTES_ACKED_OFFSET);
            MemorySegment outq = arena.allocate(ValueLayout.JAVA_INT);
            if ((int) IOCTL.invokeExact(fd, SIOCOUTQ, outq) != 0) {
                return UNKNOWN;
            }
            return new Snapshot(acked, outq.get(ValueLayout.JAVA_INT, 0));
        } catch (Throwable e) {
            return UNKNOWN;
        }
    }
}
