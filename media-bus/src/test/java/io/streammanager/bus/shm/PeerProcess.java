package io.streammanager.bus.shm;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A {@link RingPeerMain} in its own JVM (same java binary, same classpath), stopped by PID on close. */
final class PeerProcess implements AutoCloseable {

    private final Process process;
    private final Path log;
    private final OutputStream stdin;

    private PeerProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
        this.stdin = process.getOutputStream();
    }

    static PeerProcess start(Path logDir, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElseThrow());
        command.add("--enable-native-access=ALL-UNNAMED");
        command.add("-Xmx128m");
        command.add("-XX:+UseSerialGC");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(RingPeerMain.class.getName());
        command.addAll(List.of(args));
        Path log = Files.createTempFile(logDir, "peer-", ".log");
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        return new PeerProcess(process, log);
    }

    long pid() {
        return process.pid();
    }

    void go() throws IOException {
        stdin.write("go\n".getBytes(StandardCharsets.US_ASCII));
        stdin.flush();
    }

    String output() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no output: " + e + ")";
        }
    }

    /** Kills the process at once (SIGKILL), like a crash: the ring file stays behind. */
    void crash() throws InterruptedException {
        ProcessHandle.of(process.pid()).ifPresent(ProcessHandle::destroyForcibly);
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** Asks the peer to stop (stdin closed) and waits for it to delete its ring; kills it by PID if it hangs. */
    @Override
    public void close() throws Exception {
        try {
            stdin.close();
        } catch (IOException e) {
            // already gone
        }
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                ProcessHandle.of(process.pid()).ifPresent(ProcessHandle::destroyForcibly);
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } finally {
            ProcessHandle.of(process.pid()).ifPresent(ProcessHandle::destroyForcibly);
            Files.deleteIfExists(log);
        }
    }
}
