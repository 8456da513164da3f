package io.streammanager.encoder.memory;

import java.lang.management.ManagementFactory;
import java.util.Optional;

import javax.management.JMException;
import javax.management.ObjectName;

import org.jboss.logging.Logger;

/**
 * Hands the memory a stopped stream's encoders freed back to the system. libx264 and FFmpeg allocate through glibc's
 * malloc from the threads of each stream (the worker and the encoders' own), which spread over per-thread arenas;
 * glibc keeps what they free inside those arenas, so under stream churn the process's RSS climbs with every stream
 * although nothing leaks (bench/soak.sh). The JDK trims the native heap (glibc's malloc_trim) on request through its
 * {@code System.trim_native_heap} diagnostic command, asked here through the platform MBean; the deployments also cap
 * the arenas (MALLOC_ARENA_MAX) and let the JVM trim periodically (-XX:TrimNativeHeapInterval).
 */
public final class NativeHeapTrim {

    private static final Logger LOG = Logger.getLogger(NativeHeapTrim.class);
    private static final String DIAGNOSTIC_COMMAND = "com.sun.management:type=DiagnosticCommand";
    private static final String TRIM_OPERATION = "systemTrimNativeHeap";

    private NativeHeapTrim() {
    }

    /**
     * Trims now; returns the JVM's report (RSS before and after), or empty where the platform cannot (not glibc, no
     * jdk.management module), which is logged once at debug and costs nothing more.
     */
    public static Optional<String> trim() {
        try {
            Object report = ManagementFactory.getPlatformMBeanServer().invoke(new ObjectName(DIAGNOSTIC_COMMAND),
                    TRIM_OPERATION, new Object[] {new String[0]}, new String[] {String[].class.getName()});
            return Optional.of(String.valueOf(report).strip());
        } catch (JMException | RuntimeException e) {
            LOG.debugf("native heap not trimmed: %s", e.toString());
            return Optional.empty();
        }
    }
}
