package io.streammanager.gateway.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A child process (ffmpeg, rtmpdump) with its output in a file, always stopped by its own PID. */
final class ExternalProcess implements AutoCloseable {

    private final String name;
    private final Process process;
    private final Path log;

    private ExternalProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    static ExternalProcess start(String name, Path dir, List<String> command) throws IOException {
        return start(name, dir, null, command);
    }

    /** Starts {@code command} in {@code workDir} (null: ours) with {@code environment} added. */
    static ExternalProcess start(String name, Path dir, Path workDir, List<String> command, Map<String, String> environment)
            throws IOException {
        Path log = dir.resolve(name + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        if (workDir != null) {
            builder.directory(workDir.toFile());
        }
        builder.environment().putAll(environment);
        return new ExternalProcess(name, builder.start(), log);
    }

    static ExternalProcess start(String name, Path dir, Path workDir, List<String> command) throws IOException {
        return start(name, dir, workDir, command, Map.of());
    }

    /** Waits for the process to end by itself; false on timeout (the caller then closes it). */
    boolean waitFor(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    boolean alive() {
        return process.isAlive();
    }

    int exitCode() {
        return process.exitValue();
    }

    String output() {
        try {
            return Files.readString(log, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return "(no output: " + e + ")";
        }
    }

    /** The output's last lines, for assertion messages. */
    String tail() {
        String out = output();
        return name + " (pid " + process.pid() + "): ..." + out.substring(Math.max(0, out.length() - 1500));
    }

    /** SIGKILL, as a crash: the process gets no chance to say goodbye on its connections. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
    }

    long pid() {
        return process.pid();
    }

    @Override
    public void close() throws InterruptedException {
        // a browser's helpers are the children of its driver: stop them by their own PIDs too
        List<ProcessHandle> children = process.descendants().toList();
        for (ProcessHandle child : children) {
            child.destroy();
        }
        for (ProcessHandle child : children) {
            try {
                child.onExit().get(5, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                child.destroyForcibly();
            }
        }
        if (process.isAlive()) {
            process.destroy(); // SIGTERM to this PID only
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        }
    }
}
