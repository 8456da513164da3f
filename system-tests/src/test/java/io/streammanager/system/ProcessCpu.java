package io.streammanager.system;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Paths;

/** CPU time of a live process, from /proc (user + system, all threads). */
final class ProcessCpu {

    /** Linux reports /proc/[pid]/stat times in clock ticks; USER_HZ is 100 on every Linux we run on. */
    private static final double TICKS_PER_SECOND = 100.0;

    private ProcessCpu() {
    }

    static double cpuSeconds(long pid) throws IOException {
        String stat = Files.readString(Paths.get("/proc", Long.toString(pid), "stat"));
        // the command name (field 2) may hold spaces; the fields after its closing parenthesis are fixed
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long utime = Long.parseLong(fields[11]);
        long stime = Long.parseLong(fields[12]);
        return (utime + stime) / TICKS_PER_SECOND;
    }

    /** Resident set size in bytes. */
    static long rssBytes(long pid) throws IOException {
        for (String line : Files.readAllLines(Paths.get("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        return 0;
    }
}
